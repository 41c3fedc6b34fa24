package dev.certops.sshdeploy.connection;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How connections are made.
 *
 * @param connectTimeout TCP connect + SSH handshake + authentication
 * @param keepAlive      interval of SSH keep-alives; the connection is dropped after 3 unanswered
 * @param passphrases    the passphrase of an encrypted identity file (the CLI prompts; the default reads
 *                       {@code secrets/<identity file name>.passphrase} in the workspace)
 */
public record SshOptions(Duration connectTimeout, Duration keepAlive, Function<Path, Optional<char[]>> passphrases) {
    public static SshOptions defaults(Function<Path, Optional<char[]>> passphrases) {
        return new SshOptions(Duration.ofSeconds(10), Duration.ofSeconds(15), passphrases);
    }
}

package dev.certops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real certbot (Debian {@code certbot}) against an ACME server (Pebble), with its config folder where a test wants it. */
public final class CertbotRunner {
    private final Path dir;
    private final Path configDir;
    private final URI server;
    private final Path caBundle;

    /**
     * @param dir       where certbot's work folder, logs and output go
     * @param configDir certbot's config folder (what {@code import certbot} reads: live/, archive/, renewal/)
     * @param caBundle  the ACME server's HTTPS root (REQUESTS_CA_BUNDLE)
     */
    public CertbotRunner(Path dir, Path configDir, URI server, Path caBundle) {
        this.dir = dir;
        this.configDir = configDir;
        this.server = server;
        this.caBundle = caBundle;
    }

    public Path configDir() { return configDir; }

    /** Runs certbot with these arguments (plus server, folders, non-interactive); fails the test with certbot's output when it fails. */
    public void run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("certbot"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--server", server.toString(), "--config-dir", configDir.toString(), "--work-dir", dir.resolve("work").toString(),
                "--logs-dir", dir.resolve("logs").toString(), "--agree-tos", "-m", "ops@example.test", "--non-interactive", "--no-random-sleep-on-renew"));
        Path log = dir.resolve("certbot.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("REQUESTS_CA_BUNDLE", caBundle.toString());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("certbot did not finish: " + Files.readString(log));
        }
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    }
}

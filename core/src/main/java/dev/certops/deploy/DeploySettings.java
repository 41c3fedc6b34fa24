package dev.certops.deploy;

import java.time.Duration;

/**
 * Knobs of a deployment.
 *
 * @param commandTimeout  longest a remote command (upload, config test, reload) may take
 * @param verifyDeadline  how long the served certificate is polled for after a reload (default 30 s)
 * @param verifyInterval  pause between two handshakes while polling
 * @param concurrency     hosts deployed at once inside a wave
 * @param dryRun          only list the remote commands; write nothing
 */
public record DeploySettings(Duration commandTimeout, Duration verifyDeadline, Duration verifyInterval, int concurrency, boolean dryRun) {
    public static final DeploySettings DEFAULT = new DeploySettings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMillis(100), 4, false);

    public DeploySettings {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
    }

    public DeploySettings withConcurrency(int n) { return new DeploySettings(commandTimeout, verifyDeadline, verifyInterval, n, dryRun); }
    public DeploySettings withVerifyDeadline(Duration d) { return new DeploySettings(commandTimeout, d, verifyInterval, concurrency, dryRun); }
    public DeploySettings withDryRun(boolean d) { return new DeploySettings(commandTimeout, verifyDeadline, verifyInterval, concurrency, d); }
}

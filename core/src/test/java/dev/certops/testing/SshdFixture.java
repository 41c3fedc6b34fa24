package dev.certops.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server (Debian {@code openssh-server}) in the foreground on a free loopback port,
 * with a fresh ed25519 host key and a user key for the current user (root in CI). The "remote" host
 * is this machine, reached over SSH exactly as a production host would be.
 */
public final class SshdFixture implements AutoCloseable {
    public static final String SSHD = "/usr/sbin/sshd";
    private final Path dir;
    private final int port;
    private ManagedProcess process;

    private SshdFixture(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
    }

    public static SshdFixture start(Path dir) throws IOException {
        Files.createDirectories(dir);
        SshdFixture f = new SshdFixture(dir, FreePort.tcp());
        keygen(f.hostKey(), "");
        keygen(f.userKey(), "");
        Files.copy(f.userKey().resolveSibling("id_ed25519.pub"), f.dir.resolve("authorized_keys"));
        f.writeConfig();
        f.start();
        return f;
    }

    public Path dir() { return dir; }
    public int port() { return port; }
    public String user() { return System.getProperty("user.name"); }
    public Path hostKey() { return dir.resolve("host_ed25519"); }
    /** The user's private key (no passphrase). */
    public Path userKey() { return dir.resolve("id_ed25519"); }

    /** Creates another user key protected by {@code passphrase}, authorized too. */
    public Path userKeyWithPassphrase(String passphrase) throws IOException {
        Path k = dir.resolve("id_ed25519_pass");
        if (!Files.exists(k)) {
            keygen(k, passphrase);
            Files.writeString(dir.resolve("authorized_keys"), Files.readString(k.resolveSibling("id_ed25519_pass.pub")),
                    java.nio.file.StandardOpenOption.APPEND);
        }
        return k;
    }

    /** "[127.0.0.1]:PORT ssh-ed25519 AAAA..." for a known_hosts file. */
    public String knownHostsLine() throws IOException {
        String pub = Files.readString(dir.resolve("host_ed25519.pub")).trim();
        String[] parts = pub.split(" ");
        return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1];
    }

    /** Writes a known_hosts file that trusts this server. */
    public Path writeKnownHosts(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, knownHostsLine() + "\n");
        return file;
    }

    /** "SHA256:..." as ssh-keygen -lf prints it. */
    public String hostKeyFingerprintSha256() throws IOException {
        String out = run(List.of("ssh-keygen", "-lf", dir.resolve("host_ed25519.pub").toString()));
        return out.split(" ")[1];
    }

    /** A new host key, same port: for the changed-host-key test. */
    public void regenerateHostKey() throws IOException {
        stop();
        Files.deleteIfExists(hostKey());
        Files.deleteIfExists(dir.resolve("host_ed25519.pub"));
        keygen(hostKey(), "");
        start();
    }

    public synchronized void start() throws IOException {
        Files.createDirectories(Path.of("/run/sshd"));
        process = ManagedProcess.start("sshd", List.of(SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString()), dir.resolve("sshd.log"));
        process.awaitReady(Duration.ofSeconds(10), this::banner);
    }

    public synchronized void stop() {
        if (process != null) process.close();
    }

    @Override public void close() { stop(); }

    private void writeConfig() throws IOException { writeConfig("200:30:400", 100); }

    private void writeConfig(String maxStartups, int maxSessions) throws IOException {
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + hostKey(), "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PubkeyAuthentication yes", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password",
                "MaxStartups " + maxStartups, "MaxSessions " + maxSessions, "Subsystem sftp internal-sftp", "") );
    }

    /**
     * Restarts this sshd (same port and keys) with a production server's limits instead of the lab's
     * generous ones: {@code MaxStartups} unauthenticated connections at once (more are dropped), and
     * {@code MaxSessions} channels per connection.
     */
    public synchronized void restartWithLimits(String maxStartups, int maxSessions) throws IOException {
        stop();
        writeConfig(maxStartups, maxSessions);
        start();
    }

    /** What sshd logged so far (-e: to its log file). */
    public String log() throws IOException { return Files.readString(dir.resolve("sshd.log")); }

    private boolean banner() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            InputStream in = s.getInputStream();
            byte[] b = new byte[7];
            int n = in.readNBytes(b, 0, 7);
            return n == 7 && new String(b, StandardCharsets.US_ASCII).equals("SSH-2.0");
        } catch (IOException e) {
            return false;
        }
    }

    private static void keygen(Path key, String passphrase) throws IOException {
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "certops-test", "-f", key.toString()));
    }

    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

package dev.certops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code ssh-agent} in the foreground ({@code -D}) on a socket in a temp folder,
 * stopped by its handle; keys are made with {@code ssh-keygen} and loaded with {@code ssh-add}.
 */
public final class SshAgentFixture implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final ManagedProcess agent;

    private SshAgentFixture(Path dir, Path socket, ManagedProcess agent) {
        this.dir = dir;
        this.socket = socket;
        this.agent = agent;
    }

    public static SshAgentFixture start(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path socket = dir.resolve("agent.sock");
        ManagedProcess p = ManagedProcess.start("ssh-agent", List.of("/usr/bin/ssh-agent", "-D", "-a", socket.toString()),
                dir.resolve("ssh-agent.log"));
        p.awaitReady(Duration.ofSeconds(10), () -> Files.exists(socket));
        return new SshAgentFixture(dir, socket, p);
    }

    public Path socket() { return socket; }

    /** The environment a certops process needs to sign through this agent. */
    public Map<String, String> env() { return Map.of("SSH_AUTH_SOCK", socket.toString()); }

    /** Makes a key ({@code ssh-keygen -t TYPE}, no passphrase) named {@code name} in the fixture's folder and adds it to the agent. */
    public Path addKey(String name, String type) throws IOException, InterruptedException {
        Path key = newKey(dir, name, type);
        run(List.of("/usr/bin/ssh-add", key.toString()), Map.of("SSH_AUTH_SOCK", socket.toString()));
        return key;
    }

    /** Makes a key file without adding it anywhere; its public key is {@code FILE.pub}. */
    public static Path newKey(Path dir, String name, String type) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString()));
        if ("rsa".equals(type)) cmd.addAll(List.of("-b", "2048")); // 2048 bits: generated in a fraction of the time of the default
        run(cmd, Map.of());
        return key;
    }

    /** Runs a command to its end; its output, or a failure naming it and what it printed. */
    public static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() { agent.close(); }
}

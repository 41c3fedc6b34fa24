package dev.certops.sandbox;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starting, checking and stopping the sandbox's real processes (they outlive the command that started them). */
final class SandboxProcesses {
    private SandboxProcesses() { }

    /** Programs the sandbox needs, with the Debian package that provides each. */
    static final Map<String, String> PROGRAMS = Map.of("/usr/bin/pebble", "pebble", "/usr/bin/pebble-challtestsrv", "pebble",
            "/usr/sbin/nginx", "nginx", "/usr/sbin/sshd", "openssh-server", "/usr/bin/ssh-keygen", "openssh-client");

    /** The missing programs' packages, empty when everything is installed. */
    static List<String> missingPackages() {
        return PROGRAMS.entrySet().stream().filter(e -> !Files.isExecutable(Path.of(e.getKey()))).map(Map.Entry::getValue).distinct().sorted().toList();
    }

    static int freePort() throws IOException {
        return LoopbackPorts.tcp();
    }

    /** Starts a detached process with its output in {@code log}; returns its pid. */
    static long start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        return pb.start().pid();
    }

    static void awaitPort(String what, int port, long pid, Path log, Duration deadline) throws IOException {
        Instant end = Instant.now().plus(deadline);
        while (Instant.now().isBefore(end)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) break;
                pause(50);
            }
        }
        throw new IOException(what + " did not start: " + tail(log));
    }

    static void run(List<String> command, Path dir) throws IOException {
        Path log = Files.createTempFile(dir, "cmd", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed: " + tail(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** SIGTERM, then SIGKILL after a grace period. True when it is gone. */
    static boolean stop(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) return true;
        h.get().destroy();
        try {
            h.get().onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.get().destroyForcibly();
        }
        return !h.get().isAlive();
    }

    static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 1500 ? s.substring(s.length() - 1500) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

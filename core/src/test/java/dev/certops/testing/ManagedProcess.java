package dev.certops.testing;

import dev.certops.sandbox.LoopbackPorts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real process started by a test fixture: output in a log file, readiness polled with a
 * deadline, stopped by its handle (SIGTERM, then SIGKILL) — also by a JVM shutdown hook, so nothing
 * is left running when a test JVM ends abruptly.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with stdout and stderr going to {@code log}. */
    public static ManagedProcess start(String name, List<String> command, Path log) throws IOException {
        return start(name, new ProcessBuilder(command), log);
    }

    /** Starts a prepared builder (environment, working folder) with its output going to {@code log}. */
    public static ManagedProcess start(String name, ProcessBuilder builder, Path log) throws IOException {
        String program = builder.command().get(0);
        if (program.startsWith("/") && !Files.isExecutable(Path.of(program))) {
            throw new IOException(program + " is not installed: " + Packages.hint(program));
        }
        Process p;
        try {
            p = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException(program + " could not be started (" + e.getMessage() + "): " + Packages.hint(program), e);
        }
        ManagedProcess mp = new ManagedProcess(name, p, log);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, name + "-reaper"));
        return mp;
    }

    /** The operating-system process id. */
    public long pid() { return process.pid(); }

    /** The log file. */
    public Path logFile() { return log; }

    public boolean alive() { return process.isAlive(); }

    /** The process's output so far (for failure messages). */
    public String log() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Waits until {@code ready} holds; fails with the log if the process dies or the deadline passes. */
    public void awaitReady(Duration deadline, BooleanSupplier ready) {
        Instant end = Instant.now().plus(deadline);
        long pause = 20;
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
            if (Instant.now().isAfter(end)) throw new IllegalStateException(name + " not ready within " + deadline + ":\n" + log());
            pauseMillis(pause);
            pause = Math.min(pause * 2, 200);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A loopback port that is free for both TCP and UDP right now. */
    public static int freePort() throws IOException {
        return LoopbackPorts.tcpAndUdp();
    }

    private static void pauseMillis(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

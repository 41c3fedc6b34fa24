package dev.certops.deploy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM (or Ctrl-C) during a deploy: the JVM's shutdown hook marks the stop as requested and
 * waits until the hosts being deployed have finished or been rolled back (at most {@link #GRACE});
 * the rollout starts no further host, records {@code deploy.interrupted}, and the process then exits —
 * once the command around the deploy has also finished (its lease given back and recorded, its summary
 * printed: {@link #command}), so that nothing the command still records after the rollout is lost.
 * A kill -9 cannot be caught: the write-ahead record lets the next command settle that host
 * ({@link UnfinishedDeploys}).
 */
public final class Interruptions {
    /** Longest a SIGTERM waits for the current hosts (a command timeout plus the verification, with room). */
    static final Duration GRACE = Duration.ofMinutes(3);
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicInteger ACTIVE = new AtomicInteger();
    /** A deploy ran inside the command still open: a SIGTERM waits for the command too. */
    private static final AtomicBoolean DEPLOYED = new AtomicBoolean();
    private static final AtomicInteger COMMANDS = new AtomicInteger();
    private static final Object MONITOR = new Object();

    private Interruptions() { }

    /** Whether the process was asked to stop (SIGTERM): no further host may start. */
    public static boolean requested() { return REQUESTED.get(); }

    /** Marks a deploy as running until the returned handle is closed; the shutdown hook waits for it. */
    static Running enter() {
        if (INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(Interruptions::stopRequested, "certops-sigterm"));
        }
        ACTIVE.incrementAndGet();
        DEPLOYED.set(true);
        return new Running(ACTIVE);
    }

    /**
     * The whole command of a process (its main): when it deployed, a SIGTERM lets it finish after the rollout
     * (lease released, summary printed) before the JVM exits. A command that never deployed is not waited for.
     */
    public static Running command() {
        COMMANDS.incrementAndGet();
        return new Running(COMMANDS);
    }

    private static boolean waiting() {
        return ACTIVE.get() > 0 || (DEPLOYED.get() && COMMANDS.get() > 0);
    }

    private static void stopRequested() {
        REQUESTED.set(true);
        long deadline = System.nanoTime() + GRACE.toNanos();
        synchronized (MONITOR) {
            while (waiting()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                try {
                    MONITOR.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** A deploy (or a command) in progress until closed. */
    public static final class Running implements AutoCloseable {
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicInteger counter;

        private Running(AtomicInteger counter) { this.counter = counter; }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) return;
            synchronized (MONITOR) {
                counter.decrementAndGet();
                MONITOR.notifyAll();
            }
        }
    }
}

package dev.certops.deploy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM (or Ctrl-C) during a deploy: the JVM's shutdown hook marks the stop as requested and
 * waits until the hosts being deployed have finished or been rolled back (at most {@link #GRACE});
 * the rollout starts no further host, records {@code deploy.interrupted}, and the process then exits.
 * A kill -9 cannot be caught: the write-ahead record lets the next command settle that host
 * ({@link UnfinishedDeploys}).
 */
public final class Interruptions {
    /** Longest a SIGTERM waits for the current hosts (a command timeout plus the verification, with room). */
    static final Duration GRACE = Duration.ofMinutes(3);
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicInteger ACTIVE = new AtomicInteger();
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
        return new Running();
    }

    private static void stopRequested() {
        REQUESTED.set(true);
        long deadline = System.nanoTime() + GRACE.toNanos();
        synchronized (MONITOR) {
            while (ACTIVE.get() > 0) {
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

    /** A deploy in progress. */
    static final class Running implements AutoCloseable {
        private final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) return;
            synchronized (MONITOR) {
                ACTIVE.decrementAndGet();
                MONITOR.notifyAll();
            }
        }
    }
}

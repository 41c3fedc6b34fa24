package dev.certops.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Waits for a condition with a deadline, checking at a short, growing interval (no fixed sleeps). */
public final class Poll {
    private Poll() { }

    /**
     * Returns when {@code condition} holds; fails naming {@code what} when the deadline passes. A condition that throws,
     * an assertion included (a served chain not yet the deployed one), is not there yet: the last failure is reported.
     */
    public static void until(Duration deadline, Callable<Boolean> condition, String what) {
        Instant end = Instant.now().plus(deadline);
        long pause = 10;
        Throwable last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) return;
                last = null;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what + (last == null ? "" : " (last error: " + last + ")"), last);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pause = Math.min(pause * 2, 200);
        }
    }

    /** True when a TCP connection to 127.0.0.1:port succeeds. */
    public static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}

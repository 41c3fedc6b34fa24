package dev.certops.acme;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Polls an ACME resource at a short, growing interval (10 ms doubling to 1 s) instead of acme4j's
 * 3 s default wait: a local CA validates in milliseconds (the first look after 10 ms, not 50, saved
 * each issuance 40 ms of sleeping), a remote one is not hammered (eight looks in the first two seconds,
 * then one a second).
 */
final class Poller {
    static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

    private final Sleeper sleeper;
    private final Clock clock;

    /** The waiting seam: real sleeping in production, instant in tests of the policy. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(Math.max(1, d.toMillis()));
    }

    /** A check that says whether the resource has reached a final state. */
    interface Check {
        boolean done() throws Exception;
    }

    Poller(Sleeper sleeper, Clock clock) {
        this.sleeper = sleeper;
        this.clock = clock;
    }

    Sleeper sleeper() { return sleeper; }

    /** Returns true when done, false when the deadline passed first. */
    boolean until(Duration deadline, Check check) throws Exception {
        return poll(deadline, check, false);
    }

    /**
     * As {@link #until}, pausing before the first look: for a resource whose state the CA has just answered with (the
     * finalize request returns the order, "processing"), asking again at once only costs a round trip.
     */
    boolean afterPause(Duration deadline, Check check) throws Exception {
        return poll(deadline, check, true);
    }

    private boolean poll(Duration deadline, Check check, boolean pauseFirst) throws Exception {
        Instant end = clock.instant().plus(deadline);
        long pause = FIRST_PAUSE.toMillis();
        if (pauseFirst) {
            sleeper.sleep(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, LONGEST_PAUSE.toMillis());
        }
        while (true) {
            if (check.done()) return true;
            if (clock.instant().isAfter(end)) return false;
            sleeper.sleep(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, LONGEST_PAUSE.toMillis());
        }
    }
}

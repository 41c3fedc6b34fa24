package dev.certops.operations;

import java.time.Duration;
import java.time.Instant;

/** Per-certificate retry spacing after failed renewals: 1 h, 2 h, 4 h … capped at 24 h. */
public final class Backoff {
    public static final Duration FIRST = Duration.ofHours(1);
    public static final Duration CAP = Duration.ofHours(24);

    private Backoff() { }

    /** The wait after {@code consecutiveFailures} failures in a row (0 means no wait). */
    public static Duration delay(int consecutiveFailures) {
        if (consecutiveFailures <= 0) return Duration.ZERO;
        if (consecutiveFailures > 5) return CAP;
        Duration d = FIRST.multipliedBy(1L << (consecutiveFailures - 1));
        return d.compareTo(CAP) > 0 ? CAP : d;
    }

    /** When the next attempt may start, given the time of the last failure. */
    public static Instant nextAttempt(Instant lastFailure, int consecutiveFailures) {
        return lastFailure.plus(delay(consecutiveFailures));
    }
}

package dev.certops.acme;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How an issuance reacts to each kind of failure. Failover is a policy, not a reflex.
 *
 * @param attemptsPerCa            tries against one unavailable CA before moving on
 * @param backoffBase              first backoff; doubles each try, with up to 50% jitter
 * @param deadline                 how long the operator can wait (a Retry-After past it moves on at once)
 * @param failoverOnValidationFailure move to the next CA after a failed validation (default: stop, it costs budget)
 * @param stepTimeout              how long one validation or finalization may take
 */
public record FailoverPolicy(int attemptsPerCa, Duration backoffBase, Duration deadline, boolean failoverOnValidationFailure,
                             Duration stepTimeout) {

    public static FailoverPolicy defaults() {
        return new FailoverPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(10), false, Duration.ofSeconds(90));
    }

    public FailoverPolicy withDeadline(Duration d) {
        return new FailoverPolicy(attemptsPerCa, backoffBase, d, failoverOnValidationFailure, stepTimeout);
    }

    public FailoverPolicy withBackoff(Duration base) {
        return new FailoverPolicy(attemptsPerCa, base, deadline, failoverOnValidationFailure, stepTimeout);
    }

    public FailoverPolicy failingOverOnValidationFailure(boolean b) {
        return new FailoverPolicy(attemptsPerCa, backoffBase, deadline, b, stepTimeout);
    }

    /** The wait before retry number {@code attempt} (1-based). */
    Duration backoff(int attempt) {
        long base = backoffBase.toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }
}

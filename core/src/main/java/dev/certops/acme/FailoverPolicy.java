package dev.certops.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How an issuance reacts to each kind of failure. Failover is a policy, not a reflex: {@link #decide} takes
 * the typed failure and the attempt's state and answers retry, wait, next CA or stop; the issuance
 * service asks it and records its answer.
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

    /**
     * The decision after attempt number {@code attempt} (1-based) against one CA failed with {@code failure},
     * at {@code now}, with the operator's {@code deadline}:
     * <ul>
     * <li>the CA is unavailable and attempts are left → {@link FailoverDecision.Retry} after the backoff;</li>
     * <li>rate limited with a Retry-After that ends before the deadline, attempts left → {@link FailoverDecision.Wait} until then;</li>
     * <li>validation failed (unless {@link #failoverOnValidationFailure()}) or the CA's TLS certificate is untrusted →
     * {@link FailoverDecision.Stop};</li>
     * <li>anything else → {@link FailoverDecision.NextCa}.</li>
     * </ul>
     */
    public FailoverDecision decide(AcmeFailure failure, int attempt, Instant now, Instant deadline) {
        if (failure instanceof AcmeFailure.CaUnavailable && attempt < attemptsPerCa) {
            return new FailoverDecision.Retry(backoff(attempt));
        }
        if (failure instanceof AcmeFailure.RateLimited rl && rl.retryAfter().isPresent() && !rl.retryAfter().get().isAfter(deadline)
                && attempt < attemptsPerCa) {
            Duration wait = Duration.between(now, rl.retryAfter().get());
            return new FailoverDecision.Wait(wait.isNegative() ? Duration.ZERO : wait);
        }
        // an untrusted TLS certificate, or one for another name, is this CA entry's configuration: no other CA or retry fixes it
        boolean stop = failure instanceof AcmeFailure.ValidationFailed && !failoverOnValidationFailure
                || failure instanceof AcmeFailure.Misconfigured m && m.tls();
        return stop ? new FailoverDecision.Stop() : new FailoverDecision.NextCa();
    }

    /** The wait before retry number {@code attempt} (1-based). */
    Duration backoff(int attempt) {
        long base = backoffBase.toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }
}

package dev.certops.renew;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How a renew run ends, from its per-certificate results: 0 nothing due or all done, 1 some failed
 * but will be retried in time, 2 a person is needed (a failing certificate inside its critical
 * threshold, or no CA path worked for any attempted issuance).
 */
public final class RunExit {
    public static final int OK = 0;
    public static final int RETRYING = 1;
    public static final int PERSON_NEEDED = 2;

    /** One failed certificate: when its current certificate expires (empty: none exists) and whether every CA failed. */
    public record Failure(String certificateId, Optional<Instant> notAfter, boolean noCaWorked) { }

    private RunExit() { }

    /** The exit code, with "inside its critical threshold" decided per certificate (thresholds scale with the lifetime). */
    public static int code(List<Failure> failures, Predicate<Failure> insideCritical) {
        if (failures.isEmpty()) return OK;
        for (Failure f : failures) {
            if (f.noCaWorked()) return PERSON_NEEDED;
            if (f.notAfter().isEmpty() || insideCritical.test(f)) return PERSON_NEEDED;
        }
        return RETRYING;
    }
}

package dev.certops.renew;

import dev.certops.words.Words;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** How one certificate fared in a renew run. */
public sealed interface RenewOutcome {
    /** The reason of a certificate a run did not renew because another console holds its lease (the run exits 1). */
    String SKIPPED_FOR_LEASE = "skipped — ";

    String certificateId();

    /** One line a person reads. */
    String summary();

    /** Issued (from {@code ca}) and deployed to every host of its waves, each verified. */
    record Renewed(String certificateId, String ca, String serial, Instant notAfter, int version, List<String> hosts) implements RenewOutcome {
        public String summary() {
            return certificateId + ": renewed from " + ca + " (serial " + serial + ", until " + Words.instant(notAfter) + ", version " + version + ")"
                    + (hosts.isEmpty() ? "" : ", deployed and verified on " + Words.list(hosts));
        }
    }

    /** The current version re-deployed to hosts that did not serve it, and verified; nothing issued. */
    record Redeployed(String certificateId, int version, List<String> hosts) implements RenewOutcome {
        public String summary() { return certificateId + ": version " + version + " re-deployed and verified on " + Words.list(hosts); }
    }

    /**
     * Failed at {@code stage} (issue or deploy). {@code failureKind} names the kind of failure (AcmeFailure.kind()), {@code caMessage}
     * the CA's own words (empty when no CA answered), {@code noCaWorked} is true when every CA was unreachable.
     */
    record Failed(String certificateId, String stage, String reason, String failureKind, String caMessage, boolean noCaWorked,
                  List<String> hosts, Optional<Instant> notAfter, int consecutiveFailures, Instant nextAttempt) implements RenewOutcome {
        public String summary() {
            return certificateId + ": FAILED at " + stage + " — " + reason.lines().findFirst().orElse(reason) + " (failure " + consecutiveFailures
                    + " in a row; next attempt after " + Words.instant(nextAttempt) + ")";
        }
    }

    /** Due, but its last failure's backoff has not elapsed: not attempted. {@code lastStage}: where that failure happened. */
    record BackedOff(String certificateId, Instant nextAttempt, int consecutiveFailures, String lastStage, String lastReason,
                     Optional<Instant> notAfter, boolean noCaWorked) implements RenewOutcome {
        public String summary() {
            return certificateId + ": due, but backing off after " + Words.count(consecutiveFailures, "failure") + " until " + Words.instant(nextAttempt)
                    + " (last: " + lastReason.lines().findFirst().orElse("") + ")";
        }
    }

    /** Nothing to do. */
    record NotDue(String certificateId, String reason) implements RenewOutcome {
        public String summary() { return certificateId + ": " + reason; }
    }
}

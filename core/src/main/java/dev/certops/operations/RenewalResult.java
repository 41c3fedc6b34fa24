package dev.certops.operations;

import dev.certops.acme.AcmeFailure;
import dev.certops.acme.CertificateVersions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** How one certificate's renewal ended, with the plan it executed (the one its confirmation showed). */
public sealed interface RenewalResult {
    RenewalPlan plan();

    /** One line a person reads. */
    String summary();

    /**
     * Issued ({@code issued}, empty for a re-deploy) and deployed by {@code deploy} (empty when the certificate
     * has no hosts), every host verified.
     */
    record Renewed(RenewalPlan plan, int version, Optional<CertificateVersions.Version> issued, Optional<DeployResult> deploy, String serial)
            implements RenewalResult {
        public String summary() {
            return plan.certificateId() + ": " + (issued.map(v -> "renewed from " + v.ca() + " (serial " + v.serial() + ", version " + v.number() + ")")
                    .orElse("version " + version + " re-deployed")) + deploy.map(d -> ", deployed into release " + d.plan().release()
                    + " and verified on " + String.join(", ", d.plan().hosts())).orElse("");
        }
    }

    /** Failed at {@code failure.stage()} (issue or deploy); recorded as {@code renew.failed}. */
    record Failed(RenewalPlan plan, RenewalFailure failure) implements RenewalResult {
        public String summary() { return plan.certificateId() + ": renewal failed at " + failure.stage() + " — " + failure.firstLine(); }
    }

    /**
     * A renewal's failure as history records it: where ({@code issue}, {@code deploy}, {@code recovery}), why,
     * the kind of failure ({@link AcmeFailure#kind()}), the CA's own words, whether no CA answered at all, and the backoff it starts.
     */
    record RenewalFailure(String certificateId, String stage, String reason, String failureKind, String caMessage, boolean noCaWorked,
                          int consecutiveFailures, Instant nextAttempt) {
        /** The failure after {@code before} failures in a row, at {@code now} (backoff by {@link Backoff}). */
        public static RenewalFailure of(String certificateId, String stage, String reason, List<AcmeFailure> failures, int before, Instant now) {
            int consecutive = before + 1;
            boolean noCa = !failures.isEmpty() && failures.stream().allMatch(f -> f instanceof AcmeFailure.CaUnavailable);
            String failureKind = failures.isEmpty() ? (stage.equals("deploy") ? AcmeFailure.DEPLOY_FAILED : AcmeFailure.ISSUE_FAILED)
                    : failures.get(failures.size() - 1).kind();
            String caMessage = failures.stream().filter(f -> !(f instanceof AcmeFailure.CaUnavailable))
                    .map(f -> f.ca() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("");
            return new RenewalFailure(certificateId, stage, reason == null ? "" : reason, failureKind, caMessage, noCa, consecutive,
                    Backoff.nextAttempt(now, consecutive));
        }

        String firstLine() { return reason.lines().findFirst().orElse(reason); }
    }
}

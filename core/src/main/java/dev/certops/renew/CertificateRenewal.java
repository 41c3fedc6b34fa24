package dev.certops.renew;

import dev.certops.acme.AcmeFailure;
import dev.certops.acme.FailoverPolicy;
import dev.certops.config.CertificateConfig;
import dev.certops.history.HistoryException;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.RenewalPlan;
import dev.certops.operations.RenewalResult;
import dev.certops.operations.RenewalResult.RenewalFailure;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The work for one due certificate, as the operations layer does it ({@link CertificateOperations#planRenew} and
 * {@link CertificateOperations#renew}): issue through the failover service (ARI {@code replaces} for the CA that
 * issued the current version) and deploy by its waves with verification and rollback — or, for a re-deploy,
 * deploy the current version to the hosts that do not serve it. This class only turns the plan's result into the
 * run's {@link RenewOutcome}.
 */
final class CertificateRenewal {
    private final CertificateOperations operations;
    private final Clock clock;
    private final FailoverPolicy policy;

    CertificateRenewal(CertificateOperations operations, Clock clock, FailoverPolicy policy) {
        this.operations = operations;
        this.clock = clock;
        this.policy = policy;
    }

    /** The renewal a decision asks for: a re-deploy of the stored version to the hosts that lack it, or a new version to every host. */
    RenewalPlan plan(KnownCertificates.Known known, RenewalDecision decision) throws Exception {
        CertificateConfig cert = known.input().config();
        if (decision.action() == RenewalAction.REDEPLOY && known.latest().isPresent()) {
            return operations.planRenew(cert.id(), policy, Optional.of(known.latest().get().number()), decision.hosts());
        }
        return operations.planRenew(cert.id(), policy, Optional.empty(), cert.hosts());
    }

    /** The run's outcome of an executed renewal. */
    static RenewOutcome outcome(RenewalResult result, RenewalDecision decision) {
        String id = result.plan().certificateId();
        Optional<Instant> notAfter = decision.current().map(c -> c.notAfter());
        if (result instanceof RenewalResult.Failed f) return outcome(f.failure(), result.plan().certificate().hosts(), notAfter);
        RenewalResult.Renewed r = (RenewalResult.Renewed) result;
        if (r.issued().isEmpty()) return new RenewOutcome.Redeployed(id, r.version(), r.plan().hosts());
        var v = r.issued().get();
        return new RenewOutcome.Renewed(id, v.ca(), r.serial(), v.notAfter(), r.version(), r.plan().hosts());
    }

    /** Records the failure ({@code renew.failed}: what backoff, metrics and alerts read) and returns it. */
    RenewOutcome.Failed failed(CertificateConfig cert, String stage, String reason, List<AcmeFailure> failures, Optional<Instant> notAfter)
            throws HistoryException {
        return outcome(operations.recordRenewalFailure(cert.id(), stage, reason, failures), cert.hosts(), notAfter);
    }

    /** The failure with its backoff, not recorded (for when the history itself cannot be written). */
    RenewOutcome.Failed failure(CertificateConfig cert, String stage, String reason, List<AcmeFailure> failures, Optional<Instant> notAfter,
                                Optional<RenewHistory.Failing> before) {
        int inARow = before.map(RenewHistory.Failing::consecutive).orElse(0);
        return outcome(RenewalFailure.of(cert.id(), stage, reason, failures, inARow, clock.instant()), cert.hosts(), notAfter);
    }

    private static RenewOutcome.Failed outcome(RenewalFailure f, List<String> hosts, Optional<Instant> notAfter) {
        return new RenewOutcome.Failed(f.certificateId(), f.stage(), f.reason(), f.failureKind(), f.caMessage(), f.noCaWorked(), hosts, notAfter,
                f.consecutiveFailures(), f.nextAttempt());
    }
}

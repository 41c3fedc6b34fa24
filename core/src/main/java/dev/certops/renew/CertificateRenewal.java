package dev.certops.renew;

import dev.certops.words.Causes;
import dev.certops.acme.AcmeFailure;
import dev.certops.acme.CertificateVersions;
import dev.certops.acme.IssuanceException;
import dev.certops.acme.IssuanceListener;
import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.IssueRequest;
import dev.certops.acme.RenewalInformation;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.RolloutResult;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.NewEvent;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.DeployPlan;
import dev.certops.services.CoreServices;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The work for one due certificate: issue through the failover service (ARI {@code replaces} for the
 * CA that issued the current version) and deploy by its waves with verification and rollback — or,
 * for a re-deploy, deploy the current version to the hosts that do not serve it. Records the result.
 */
final class CertificateRenewal {
    private final CoreServices session;
    private final CertificateOperations operations;
    private final FailoverPolicy policy;

    /** Issues and deploys through the operations layer; the caller holds the certificate's lease (see {@link RenewWorkers}). */
    CertificateRenewal(CoreServices session, CertificateOperations operations, FailoverPolicy policy) {
        this.session = session;
        this.operations = operations;
        this.policy = policy;
    }

    RenewOutcome run(CertopsConfig cfg, KnownCertificates.Known known, RenewalDecision decision, Optional<RenewHistory.Failing> before,
                     RenewProgress progress) throws HistoryException {
        CertificateConfig cert = known.input().config();
        Optional<Instant> notAfter = decision.current().map(c -> c.notAfter());
        int version;
        String ca = "";
        String serial = "";
        Instant until = null;
        if (decision.action() == RenewalAction.REDEPLOY && known.latest().isPresent()) {
            version = known.latest().get().number();
        } else {
            IssueRequest req = IssueRequest.of(cert.id());
            if (known.latest().isPresent() && known.latestLeaf().isPresent()) {
                try {
                    req = req.replacing(new IssueRequest.Replaces(RenewalInformation.ariId(known.latestLeaf().get()), known.latest().get().ca()));
                } catch (IllegalArgumentException noAriId) {
                    // a certificate without an authority key id has no ARI id: renew without replaces
                }
            }
            IssuanceListener listener = (c, stage, msg) -> progress.line(cert.id(), c + ": " + msg);
            try {
                CertificateVersions.Version v = operations.executeIssue(operations.planIssue(req, policy, false), listener, Optional.empty());
                version = v.number();
                ca = v.ca();
                serial = v.serial();
                until = v.notAfter();
            } catch (IssuanceException e) {
                return failed(cert, "issue", e.getMessage(), e.failures(), notAfter, before);
            } catch (Exception e) {
                return failed(cert, "issue", Causes.withContext(e), List.of(), notAfter, before);
            }
        }
        List<String> hosts = decision.action() == RenewalAction.REDEPLOY ? decision.hosts() : cert.hosts();
        if (!hosts.isEmpty()) {
            try {
                DeployPlan plan = operations.planDeploy(cert.id(), Optional.of(String.valueOf(version)), Set.copyOf(hosts), DeploySettings.DEFAULT,
                        Optional.empty());
                DeployListener dl = (host, state, reason) -> progress.line(cert.id(), host + ": " + state.words()
                        + (reason.isEmpty() ? "" : " — " + reason));
                RolloutResult r = operations.executeDeploy(plan, dl).rollout();
                if (!r.ok()) return failed(cert, "deploy", r.summary(), List.of(), notAfter, before);
                if (serial.isEmpty()) serial = plan.bundle().leaf().getSerialNumber().toString(16);
            } catch (Exception e) {
                return failed(cert, "deploy", e.getMessage(), List.of(), notAfter, before);
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("action", decision.action() == RenewalAction.REDEPLOY ? "redeploy" : "renew");
        d.put("ca", ca);
        d.put("serial", serial);
        d.put("notAfter", until == null ? "" : until.toString());
        d.put("version", version);
        d.put("hosts", hosts);
        session.history().append(new NewEvent(EventKinds.RENEW_SUCCEEDED, cert.id(), "ok", d));
        if (decision.action() == RenewalAction.REDEPLOY) return new RenewOutcome.Redeployed(cert.id(), version, hosts);
        return new RenewOutcome.Renewed(cert.id(), ca, serial, until, version, hosts);
    }

    /** Records the failure ({@code renew.failed}: what backoff, metrics and alerts read) and returns it. */
    RenewOutcome.Failed failed(CertificateConfig cert, String stage, String reason, List<AcmeFailure> failures, Optional<Instant> notAfter,
                               Optional<RenewHistory.Failing> before) throws HistoryException {
        RenewOutcome.Failed f = failure(cert, stage, reason, failures, notAfter, before);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stage", f.stage());
        d.put("reason", f.reason());
        d.put("errorClass", f.errorClass());
        d.put("caMessage", f.caMessage());
        d.put("noCaWorked", f.noCaWorked());
        d.put("failures", f.consecutiveFailures());
        d.put("nextAttempt", f.nextAttempt().toString());
        session.history().append(new NewEvent(EventKinds.RENEW_FAILED, cert.id(), "failed", d));
        return f;
    }

    /** The failure with its backoff, not recorded (for when the history itself cannot be written). */
    RenewOutcome.Failed failure(CertificateConfig cert, String stage, String reason, List<AcmeFailure> failures, Optional<Instant> notAfter,
                                Optional<RenewHistory.Failing> before) {
        Instant now = session.clock().instant();
        int consecutive = before.map(RenewHistory.Failing::consecutive).orElse(0) + 1;
        Instant next = Backoff.nextAttempt(now, consecutive);
        boolean noCa = !failures.isEmpty() && failures.stream().allMatch(f -> f instanceof AcmeFailure.CaUnavailable);
        String errorClass = failures.isEmpty() ? (stage.equals("deploy") ? "DeployFailed" : "IssueFailed")
                : failures.get(failures.size() - 1).getClass().getSimpleName();
        String caMessage = failures.stream().filter(f -> !(f instanceof AcmeFailure.CaUnavailable))
                .map(f -> f.ca() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("");
        return new RenewOutcome.Failed(cert.id(), stage, reason == null ? "" : reason, errorClass, caMessage, noCa, cert.hosts(), notAfter,
                consecutive, next);
    }
}

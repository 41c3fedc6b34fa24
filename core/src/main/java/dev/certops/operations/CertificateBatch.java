package dev.certops.operations;

import dev.certops.parallel.Batch;
import dev.certops.acme.AccountSessions;
import dev.certops.acme.CertificateVersions;
import dev.certops.acme.Http01Responder;
import dev.certops.acme.IssuanceListener;
import dev.certops.config.CertificateConfig;
import dev.certops.deploy.DeployListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Issue or deploy many certificates in one process, at once: bounded and fair ({@link Batch}), each
 * certificate under its own lease taken through {@link CertificateOperations#lease} and executed by the same
 * {@code execute…} halves as one certificate, so history, failover and rollback are exactly those of a single
 * issue or deploy. One certificate failing (the CA refuses it, its lease is held elsewhere, a host rolls back)
 * is that certificate's outcome; the others go on. Issuances share one ACME session and account login per CA
 * ({@link AccountSessions}); they take turns by the CA they try first, deploys by the first host they reach.
 */
public final class CertificateBatch {
    private final CertificateOperations operations;
    private final Batch batch;

    public CertificateBatch(CertificateOperations operations, int concurrency) {
        this.operations = Objects.requireNonNull(operations, "operations");
        this.batch = new Batch(concurrency, "certops-batch");
    }

    /** Decides a certificate's deploy, once its lease is held (the same decision as {@code deploy CERT_ID} makes). */
    @FunctionalInterface
    public interface DeployPlanner {
        DeployPlan plan(String certificateId) throws Exception;
    }

    /**
     * Issues every plan, each under its certificate's lease, sharing one ACME session per CA; {@code finished}
     * hears each certificate as it ends (on the calling thread), {@code notices} what a lease settled first
     * (prefixed with the certificate's id). Returns every outcome in the plans' order.
     */
    public List<Batch.Outcome<IssuePlan, CertificateVersions.Version>> issue(List<IssuePlan> plans, String holder, Optional<Http01Responder> responder,
                                                                         Consumer<String> notices,
                                                                         Consumer<? super Batch.Outcome<IssuePlan, CertificateVersions.Version>> finished)
            throws InterruptedException {
        AccountSessions sessions = new AccountSessions();
        operations.openSessionsAhead(plans); // each first CA's handshake and directory while the first leases are taken
        return batch.run(plans, CertificateBatch::caKey, plan -> {
            String id = plan.certificateId();
            try (HeldLeases lease = operations.lease(id, "issue", holder(holder, id, plans.size()), n -> notices.accept(id + ": " + n))) {
                return operations.executeIssue(plan, IssuanceListener.NONE, responder, Optional.of(sessions));
            }
        }, finished);
    }

    /**
     * Deploys every certificate, each under its lease: {@code planner} decides its deploy once the lease is held, then
     * that plan is executed. {@code listener} hears every host's progress (from the workers' threads).
     */
    public List<Batch.Outcome<String, DeployResult>> deploy(List<String> certificateIds, DeployPlanner planner, DeployListener listener, String holder,
                                                            Consumer<String> notices, Consumer<? super Batch.Outcome<String, DeployResult>> finished)
            throws InterruptedException {
        Map<String, String> firstHost = new HashMap<>();
        for (String id : certificateIds) firstHost.put(id, firstHost(id));
        return batch.run(certificateIds, firstHost::get, id -> {
            try (HeldLeases lease = operations.lease(id, "deploy", holder(holder, id, certificateIds.size()), n -> notices.accept(id + ": " + n))) {
                return operations.executeDeploy(planner.plan(id), listener);
            }
        }, finished);
    }

    /** The CA an issuance tries first (staging apart from production): its items share the slots fairly with other CAs'. */
    static String caKey(IssuePlan plan) {
        if (plan.cas().isEmpty()) return ""; // fails in its turn: no CA is configured for it
        return plan.firstCa().id() + (plan.request().staging() ? " staging" : "");
    }

    private String firstHost(String certificateId) {
        try {
            CertificateConfig c = operations.certificate(certificateId);
            return c.waves().stream().flatMap(List::stream).findFirst().orElse("");
        } catch (Exception e) {
            return ""; // an unknown certificate fails in its own turn, with the message that names the known ones
        }
    }

    private static String holder(String command, String certificateId, int of) {
        return command + " " + certificateId + (of > 1 ? " (one of " + of + ")" : "");
    }
}

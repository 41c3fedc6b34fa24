package dev.certops.operations;

import dev.certops.acme.AccountSessions;
import dev.certops.acme.AcmeFailure;
import dev.certops.acme.CertificateVersions;
import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.Http01Responder;
import dev.certops.acme.IssuanceListener;
import dev.certops.acme.IssuanceService;
import dev.certops.acme.IssuanceService.RevocationReason;
import dev.certops.acme.IssuanceException;
import dev.certops.acme.IssueRequest;
import dev.certops.acme.RenewalInformation;
import dev.certops.acme.CaEndpoint;
import dev.certops.acme.SessionHints;
import dev.certops.acme.SessionsAhead;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.Deployer;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import dev.certops.deploy.WorkspaceVersions;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryException;
import dev.certops.history.NewEvent;
import dev.certops.lease.HeldLease;
import dev.certops.lease.LeaseHeldException;
import dev.certops.ratelimit.BudgetService;
import dev.certops.operations.RenewalResult.RenewalFailure;
import dev.certops.services.CoreServices;
import dev.certops.startup.StartupTrace;
import dev.certops.words.Causes;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The one way a certificate's world changes — issue, deploy, roll back, revoke, renew — whoever asks: the CLI,
 * the console, a runbook step or the renew timer. Each operation comes in two halves:
 * <ol>
 * <li>{@code plan…}: resolves the certificate (one message for an unknown id) and decides everything the
 * operation will do — the release folder and hosts of a deploy, the CAs of an issuance, the serial of a
 * revocation. The plan is what a gate shows.</li>
 * <li>the operation itself ({@link #deploy}, {@link #issue}, ...): takes the certificate's lease, settles an
 * interrupted deploy first, executes <em>that plan</em> and releases the lease; the services record every
 * step in history. Work that already holds the leases (a runbook step over several certificates) calls
 * {@link #lease} once and the {@code execute…} methods inside.</li>
 * </ol>
 * Built once per process by the composition root; see docs/decisions/0015-one-operations-layer.md.
 */
public final class CertificateOperations {
    private final CoreServices services;
    /** CA sessions a command started as soon as its plans were known ({@link #openSessionsAhead}); each taken once. */
    private final SessionsAhead sessionsAhead = new SessionsAhead();

    public CertificateOperations(CoreServices services) {
        this.services = Objects.requireNonNull(services, "services");
    }

    // ---- resolving ------------------------------------------------------------------------------

    /** The configured certificate, or {@link UnknownCertificateException} naming the file and the known ids. */
    public CertificateConfig certificate(String id) throws ConfigException {
        CertopsConfig cfg = services.config();
        return cfg.certificate(id).orElseThrow(() -> new UnknownCertificateException(id, cfg.unknownCertificate(id)));
    }

    // ---- leases ---------------------------------------------------------------------------------

    /**
     * Takes the lease on each certificate (in name order, so two consoles never wait on each other
     * crosswise) for {@code operation}, then settles what an interrupted deploy of it left unverified
     * ({@code notices} hears what was settled). Throws before any work when a certificate is unknown, another
     * console holds a lease ({@link LeaseHeldException} names who, since when, why), the team's rules refuse
     * ({@link dev.certops.team.NotAllowedException}), or an interrupted deploy cannot be settled; leases
     * taken by then are released.
     */
    public HeldLeases lease(Collection<String> certificateIds, String operation, String holder, Consumer<String> notices)
            throws ConfigException, HistoryException, LeaseHeldException, UnsettledDeployException {
        List<CertificateConfig> certs = new ArrayList<>();
        for (String id : new TreeSet<>(certificateIds)) certs.add(certificate(id)); // an unknown id writes no lease event
        List<HeldLease> held = new ArrayList<>();
        boolean ok = false;
        try {
            for (CertificateConfig c : certs) held.add(services.leases().acquire(c.id(), operation, holder));
            for (CertificateConfig c : certs) settleInterruptedDeploy(c, notices);
            ok = true;
            return new HeldLeases(held);
        } finally {
            if (!ok) new HeldLeases(held).close();
        }
    }

    /** {@link #lease(Collection, String, String, Consumer)} on one certificate. */
    public HeldLeases lease(String certificateId, String operation, String holder, Consumer<String> notices)
            throws ConfigException, HistoryException, LeaseHeldException, UnsettledDeployException {
        return lease(List.of(certificateId), operation, holder, notices);
    }

    private void settleInterruptedDeploy(CertificateConfig cert, Consumer<String> notices) throws UnsettledDeployException {
        try {
            for (Deployer.Recovery o : services.deployer(DeploySettings.DEFAULT).recover(cert, services.config().hosts(), DeployListener.NONE)) {
                notices.accept("Recovered an interrupted deploy first: " + o.summary());
            }
        } catch (DeployException | ConfigException | HistoryException | RuntimeException e) {
            throw new UnsettledDeployException(cert.id(), e);
        }
    }

    // ---- deploy ---------------------------------------------------------------------------------

    /**
     * Decides a deploy: the stored version ({@code version}, default the newest), the hosts of the waves
     * ({@code onlyHosts} when not empty, keeping wave order), a new release name stamped now, the issuing CA.
     * Throws {@link DeployException} when the version cannot be loaded.
     */
    public DeployPlan planDeploy(String certificateId, Optional<String> version, Set<String> onlyHosts, DeploySettings settings,
                                 Optional<String> forceReason) throws ConfigException, HistoryException, DeployException {
        CertificateConfig cert = certificate(certificateId);
        DeployBundle bundle = new WorkspaceVersions(services.workspace(), services.secrets()).load(cert.id(), version);
        List<String> hosts = new ArrayList<>();
        for (List<String> wave : cert.waves()) for (String id : wave) if (onlyHosts.isEmpty() || onlyHosts.contains(id)) hosts.add(id);
        String release = services.deployer(settings.withDryRun(true)).releaseName(bundle);
        return new DeployPlan(cert, services.config().hosts(), bundle, release, hosts, new LinkedHashSet<>(onlyHosts), issuer(bundle),
                settings, forceReason, new DeployPlan.DryRun(this::dryRun));
    }

    private List<HostOutcome> dryRun(DeployPlan p) throws DeployException {
        try {
            return services.deployer(p.settings().withDryRun(true)).deploy(p.certificate(), p.knownHosts(), p.bundle(), p.onlyHosts(),
                    DeployListener.NONE, p.release(), p.forceReason()).hosts();
        } catch (HistoryException e) {
            throw new DeployException(null, "plan", "history cannot be opened: " + e.getMessage(), null);
        }
    }

    /** Holding the certificate's lease, executes the plan (a dry-run plan only plans: no lease, nothing recorded). */
    public DeployResult deploy(DeployPlan plan, DeployListener listener, String holder, Consumer<String> notices) throws Exception {
        if (plan.settings().dryRun()) return new DeployResult(plan, new RolloutResult(plan.certificateId(), plan.version(), plan.preview(), Optional.empty()));
        try (HeldLeases lease = lease(plan.certificateId(), "deploy", holder, notices)) {
            return executeDeploy(plan, listener);
        }
    }

    /** Executes the plan under leases the caller holds (see {@link #lease}). */
    public DeployResult executeDeploy(DeployPlan plan, DeployListener listener) throws DeployException, HistoryException {
        RolloutResult r = services.deployer(plan.settings()).deploy(plan.certificate(), plan.knownHosts(), plan.bundle(), plan.onlyHosts(),
                listener, plan.release(), plan.forceReason());
        return new DeployResult(plan, r);
    }

    private String issuer(DeployBundle bundle) {
        try {
            Optional<CertificateVersions.Version> v = bundle.versionLabel().matches("\\d{1,9}")
                    ? new CertificateVersions(services.workspace(), services.secrets()).read(bundle.certificateId(), Integer.parseInt(bundle.versionLabel()))
                    : Optional.empty();
            if (v.isPresent()) return v.get().ca();
            X509Certificate leaf = bundle.leaf();
            return "issuer " + leaf.getIssuerX500Principal().getName();
        } catch (Exception e) {
            return "an issuer that cannot be read";
        }
    }

    // ---- rollback -------------------------------------------------------------------------------

    /** Decides a rollback of one host; a host the certificate does not deploy to is refused when executed. */
    public RollbackPlan planRollback(String certificateId, String hostId, Optional<String> forceReason) throws ConfigException {
        CertificateConfig cert = certificate(certificateId);
        CertopsConfig cfg = services.config();
        return new RollbackPlan(cert, cfg.hosts(), hostId, cfg.host(hostId), forceReason);
    }

    /** Holding the certificate's lease, executes the plan. */
    public HostOutcome rollback(RollbackPlan plan, DeployListener listener, String holder, Consumer<String> notices) throws Exception {
        try (HeldLeases lease = lease(plan.certificateId(), "rollback", holder, notices)) {
            return executeRollback(plan, listener);
        }
    }

    /** Executes the plan under leases the caller holds. */
    public HostOutcome executeRollback(RollbackPlan plan, DeployListener listener) throws DeployException, HistoryException {
        return services.deployer(DeploySettings.DEFAULT).rollback(plan.certificate(), plan.knownHosts(), plan.hostId(), listener, plan.forceReason());
    }

    // ---- issue ----------------------------------------------------------------------------------

    /**
     * Decides an issuance: the CAs in order (only the request's CA when it names one), staging or not,
     * the key. An unknown CA is an {@link IllegalArgumentException} naming it.
     */
    public IssuePlan planIssue(IssueRequest request, FailoverPolicy policy, boolean freshKey) throws ConfigException {
        CertificateConfig cert = certificate(request.certificateId());
        CertopsConfig cfg = services.config();
        List<CaConfig> cas = request.ca().isPresent()
                ? List.of(cfg.ca(request.ca().get()).orElseThrow(() -> new IllegalArgumentException("no CA '" + request.ca().get() + "' in certops.yaml")))
                : cfg.casFor(cert);
        return new IssuePlan(cert, request, cas, policy, freshKey);
    }

    /**
     * Starts opening the session of each plan's first CA now, on a thread of its own, so its TLS handshake and directory
     * read overlap the lease and the rate-limit budget check that come first; the first attempt at that CA takes it
     * ({@link SessionsAhead}). A command calls it once it has its plans; reading a directory changes nothing at the CA.
     */
    public void openSessionsAhead(List<IssuePlan> plans) {
        for (IssuePlan plan : plans) {
            if (plan.cas().isEmpty()) continue;
            sessionsAhead.open(plan.firstCa(), plan.request().staging(), services.workspace());
            // the next `issue` of this certificate opens the same session before certops.yaml is even read
            SessionHints.remember(services.workspace(), plan.certificateId(), new CaEndpoint(plan.firstCa(), plan.request().staging()));
        }
    }

    /** Holding the certificate's lease, issues by the plan; {@code responder} answers HTTP-01 in this process when given. */
    public CertificateVersions.Version issue(IssuePlan plan, IssuanceListener listener, String holder, Consumer<String> notices,
                                             Optional<Http01Responder> responder) throws Exception {
        openSessionsAhead(List.of(plan));
        try (HeldLeases lease = lease(plan.certificateId(), "issue", holder, notices)) {
            return executeIssue(plan, listener, responder);
        }
    }

    /** Issues by the plan under leases the caller holds. */
    public CertificateVersions.Version executeIssue(IssuePlan plan, IssuanceListener listener, Optional<Http01Responder> responder) throws Exception {
        return executeIssue(plan, listener, responder, Optional.empty());
    }

    /** As above, logging in through {@code sessions} when given: one ACME session per CA for every issuance sharing it. */
    public CertificateVersions.Version executeIssue(IssuePlan plan, IssuanceListener listener, Optional<Http01Responder> responder,
                                                    Optional<AccountSessions> sessions) throws Exception {
        IssuanceService svc;
        try (StartupTrace.Phase t = StartupTrace.phase("issuance service built")) {
            svc = issuance(plan.policy());
        }
        if (plan.freshKey()) svc = svc.withFreshKey();
        if (responder.isPresent()) svc = svc.withHttp01Responder(responder.get());
        if (sessions.isPresent()) svc = svc.withSharedSessions(sessions.get());
        return svc.issue(plan.certificate(), plan.cas(), plan.request(), listener);
    }

    /**
     * The issuance service with this policy, over this process's configuration, folder, secrets, history, clock and
     * connectors, guarding orders with the rate-limit budget: the one place it is built (renewal uses it too).
     */
    public IssuanceService issuance(FailoverPolicy policy) throws ConfigException, HistoryException {
        return new IssuanceService(services.config(), services.workspace(), services.secrets(), services.history(), services.clock(),
                services.connectors(), policy, this::budget).withSessionsAhead(sessionsAhead);
    }

    /** The rate-limit budget as history has it now; empty (no guard) when it cannot be read. */
    private Optional<BudgetService> budget() {
        try {
            return Optional.of(services.budget());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The stored versions of certificates (what was issued). */
    public CertificateVersions versions() { return new CertificateVersions(services.workspace(), services.secrets()); }

    // ---- revoke ---------------------------------------------------------------------------------

    /**
     * Decides a revocation: the stored version ({@code version}, default the newest) with its serial and CA.
     * A version that is not stored is an {@link IllegalArgumentException} saying where to look.
     */
    public RevokePlan planRevoke(String certificateId, Optional<Integer> version, RevocationReason reason) throws Exception {
        CertificateConfig cert = certificate(certificateId);
        return new RevokePlan(cert, IssuanceService.storedVersion(versions(), cert.id(), version), reason);
    }

    /** The stored version of the certificate with this serial (any case, colons, leading zeros), for a revocation by serial. */
    public Optional<Integer> versionWithSerial(String certificateId, String serial) throws Exception {
        String wanted = serial.toLowerCase(Locale.ROOT).replace(":", "").replaceFirst("^0+(?=.)", "");
        for (CertificateVersions.Version v : versions().list(certificateId)) {
            if (v.serial().equals(wanted)) return Optional.of(v.number());
        }
        return Optional.empty();
    }

    /** Holding the certificate's lease, revokes by the plan. */
    public CertificateVersions.Version revoke(RevokePlan plan, String holder, Consumer<String> notices) throws Exception {
        try (HeldLeases lease = lease(plan.certificateId(), "revoke", holder, notices)) {
            return executeRevoke(plan);
        }
    }

    /** Revokes by the plan under leases the caller holds. */
    public CertificateVersions.Version executeRevoke(RevokePlan plan) throws Exception {
        return issuance(FailoverPolicy.defaults()).revoke(plan.certificateId(), Optional.of(plan.version().number()), plan.reason());
    }

    // ---- renew one ------------------------------------------------------------------------------

    /**
     * Decides the renewal the console's "Renew now" asks for: a new version from the certificate's CAs in
     * order (replacing the newest stored version for ARI when it has an ARI id), default failover, deployed
     * to every host of its waves.
     */
    public RenewalPlan planRenew(String certificateId) throws Exception {
        CertificateConfig cert = certificate(certificateId);
        return planRenew(cert.id(), FailoverPolicy.defaults(), Optional.empty(), cert.hosts());
    }

    /**
     * Decides a renewal: with {@code redeployVersion} that stored version is deployed again to {@code hosts};
     * otherwise a new version is issued with {@code policy} (replacing the newest stored one for ARI) and
     * deployed to {@code hosts}, kept in the certificate's wave order.
     */
    public RenewalPlan planRenew(String certificateId, FailoverPolicy policy, Optional<Integer> redeployVersion, Collection<String> hosts)
            throws Exception {
        CertificateConfig cert = certificate(certificateId);
        List<String> ordered = new ArrayList<>();
        for (List<String> wave : cert.waves()) for (String id : wave) if (hosts.contains(id)) ordered.add(id);
        for (String id : hosts) if (!ordered.contains(id)) ordered.add(id);
        if (redeployVersion.isPresent()) return new RenewalPlan(cert, Optional.empty(), redeployVersion, ordered);
        IssueRequest req = IssueRequest.of(cert.id());
        Optional<CertificateVersions.Version> latest = versions().latest(cert.id());
        if (latest.isPresent()) {
            try {
                req = req.replacing(new IssueRequest.Replaces(RenewalInformation.ariId(versions().leaf(latest.get())), latest.get().ca()));
            } catch (IllegalArgumentException noAriId) {
                // a certificate without an authority key id has no ARI id: renew without replaces
            }
        }
        return new RenewalPlan(cert, Optional.of(planIssue(req, policy, false)), Optional.empty(), ordered);
    }

    /** Holding the certificate's lease, renews by the plan ({@code progress} hears each step of the issuance and the deploy). */
    public RenewalResult renew(RenewalPlan plan, Consumer<String> progress, String holder, Consumer<String> notices) throws Exception {
        try (HeldLeases lease = lease(plan.certificateId(), "renew", holder, notices)) {
            return executeRenew(plan, progress);
        }
    }

    /**
     * Renews by the plan under the lease the caller holds: issues (unless a re-deploy), then deploys the version to
     * the plan's hosts, and records the end as {@code renew.succeeded} or {@code renew.failed} (what backoff, metrics,
     * alerts and {@code renew status} read). A failure is a result, not an exception; only a history that cannot be
     * written throws.
     */
    public RenewalResult executeRenew(RenewalPlan plan, Consumer<String> progress) throws HistoryException {
        CertificateConfig cert = plan.certificate();
        int version;
        Optional<CertificateVersions.Version> issued = Optional.empty();
        if (plan.issue().isPresent()) {
            IssuanceListener listener = (c, stage, msg) -> progress.accept(c + ": " + msg);
            try {
                issued = Optional.of(executeIssue(plan.issue().get(), listener, Optional.empty()));
            } catch (IssuanceException e) {
                return failed(plan, "issue", e.getMessage(), e.failures());
            } catch (Exception e) {
                return failed(plan, "issue", Causes.withContext(e), List.of());
            }
            version = issued.get().number();
        } else {
            version = plan.redeployVersion().get();
        }
        String serial = issued.map(CertificateVersions.Version::serial).orElse("");
        Optional<DeployResult> deployed = Optional.empty();
        if (!plan.hosts().isEmpty()) {
            try {
                DeployPlan dp = planDeploy(cert.id(), Optional.of(String.valueOf(version)), new LinkedHashSet<>(plan.hosts()), DeploySettings.DEFAULT,
                        Optional.empty());
                DeployResult r = executeDeploy(dp, (host, state, reason) -> progress.accept(host + ": " + state.words()
                        + (reason.isEmpty() ? "" : " — " + reason)));
                if (!r.ok()) return failed(plan, "deploy", r.rollout().summary(), List.of());
                if (serial.isEmpty()) serial = dp.bundle().leaf().getSerialNumber().toString(16);
                deployed = Optional.of(r);
            } catch (Exception e) {
                return failed(plan, "deploy", e.getMessage(), List.of());
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("action", plan.issues() ? "renew" : "redeploy");
        d.put("ca", issued.map(CertificateVersions.Version::ca).orElse(""));
        d.put("serial", serial);
        d.put("notAfter", issued.map(v -> v.notAfter().toString()).orElse(""));
        d.put("version", version);
        d.put("hosts", plan.hosts());
        services.history().append(new NewEvent(EventKinds.RENEW_SUCCEEDED, cert.id(), "ok", d));
        return new RenewalResult.Renewed(plan, version, issued, deployed, serial);
    }

    private RenewalResult.Failed failed(RenewalPlan plan, String stage, String reason, List<AcmeFailure> failures) throws HistoryException {
        return new RenewalResult.Failed(plan, recordRenewalFailure(plan.certificateId(), stage, reason, failures));
    }

    /**
     * Records a renewal's failure ({@code renew.failed}) with its backoff, counted from the failures in a row that history
     * holds for the certificate; also for failures before any plan ran (an interrupted deploy that could not be settled).
     */
    public RenewalFailure recordRenewalFailure(String certificateId, String stage, String reason, List<AcmeFailure> failures) throws HistoryException {
        int[] inARow = {0};
        services.history().forEach(EventQuery.all().kind("renew.").subject(certificateId), e -> {
            if (e.kind().equals(EventKinds.RENEW_SUCCEEDED)) inARow[0] = 0;
            if (e.kind().equals(EventKinds.RENEW_FAILED)) inARow[0]++;
        });
        RenewalFailure f = RenewalFailure.of(certificateId, stage, reason, failures, inARow[0], services.clock().instant());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stage", f.stage());
        d.put("reason", f.reason());
        d.put("failure", f.failureKind());
        d.put("caMessage", f.caMessage());
        d.put("noCaWorked", f.noCaWorked());
        d.put("failures", f.consecutiveFailures());
        d.put("nextAttempt", f.nextAttempt().toString());
        services.history().append(new NewEvent(EventKinds.RENEW_FAILED, certificateId, "failed", d));
        return f;
    }
}

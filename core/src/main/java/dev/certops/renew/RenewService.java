package dev.certops.renew;

import dev.certops.acme.CertificateVersions;
import dev.certops.acme.FailoverPolicy;
import dev.certops.alert.AlertCondition;
import dev.certops.alert.AlertReport;
import dev.certops.alert.AlertScope;
import dev.certops.alert.Alerts;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.RenewConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.discover.Discovery;
import dev.certops.discover.DiscoveryReport;
import dev.certops.discover.Targets;
import dev.certops.discover.UnmanagedConditions;
import dev.certops.estate.StatusRules;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.operations.CertificateOperations;
import dev.certops.scan.TlsProbe;
import dev.certops.services.CoreServices;
import dev.certops.words.Words;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One renew run over a workspace: takes the workspace's {@link RenewLock} (a second run is refused
 * naming the holder), records the heartbeat, gathers what is known, decides with the
 * {@link RenewalPlanner}, skips certificates still backing off, renews or re-deploys the rest with
 * bounded concurrency (one failure never stops the others), reports alert conditions and records the
 * end with its exit code (0 / 1 / 2, see {@link RunExit}). A run killed halfway is completed by the
 * next: an interrupted order is re-attached by the issuance service, an issued but undeployed version
 * makes its hosts diverge, so it is deployed rather than issued again.
 */
public final class RenewService {
    private static final Logger LOG = LoggerFactory.getLogger(RenewService.class);
    private final CoreServices session;
    private final CertificateOperations operations;
    private final Alerts alerts;
    private final FailoverPolicy policy;
    private final int concurrency;

    /** What the run is asked to do: every managed certificate, or only one (forced, ignoring backoff). */
    public record Request(Optional<String> only) {
        public static Request all() { return new Request(Optional.empty()); }
        public static Request force(String certificateId) { return new Request(Optional.of(certificateId)); }
    }

    /** A run's result. {@code expiry}: each certificate's current notAfter after the run. */
    public record Result(int exit, List<RenewalDecision> decisions, List<RenewOutcome> outcomes, Map<String, Instant> expiry,
                         RenewHistory history, AlertReport alerts) {
        public boolean nothingDone() { return outcomes.stream().allMatch(o -> o instanceof RenewOutcome.NotDue); }
    }

    /** Ran, or refused because another run holds the lock. */
    public sealed interface Attempt permits Ran, Busy { }
    public record Ran(Result result) implements Attempt { }
    public record Busy(RenewLock.Busy lock) implements Attempt { }

    public RenewService(CoreServices session, CertificateOperations operations, Alerts alerts, FailoverPolicy policy, int concurrency) {
        this.operations = operations;
        this.session = session;
        this.alerts = alerts;
        this.policy = policy;
        this.concurrency = Math.max(1, concurrency);
    }

    /** Over its own operations object (tests; a process builds one and passes it to the constructor above). */
    public RenewService(CoreServices session, Alerts alerts, FailoverPolicy policy, int concurrency) {
        this(session, new CertificateOperations(session), alerts, policy, concurrency);
    }

    public RenewService(CoreServices session, CertificateOperations operations, Alerts alerts) {
        this(session, operations, alerts, FailoverPolicy.defaults(), 4);
    }

    public RenewService(CoreServices session, Alerts alerts) { this(session, alerts, FailoverPolicy.defaults(), 4); }

    /** The plan without doing anything (dry run): decisions, backoffs and the budget forecast. */
    public RenewPlan plan(Request request) throws Exception {
        Decided d = decide(request);
        return RenewPlan.make(session, d.decisions(), RenewHistory.read(session.history()), request.only().isPresent());
    }

    public Attempt run(Request request, RenewProgress progress) throws Exception {
        Instant started = session.clock().instant();
        long pid = ProcessHandle.current().pid();
        RenewLock.Attempt lock = RenewLock.tryAcquire(session.workspace().stateDir().resolve("renew.lock"), pid, started);
        if (lock instanceof RenewLock.Busy busy) return new Busy(busy);
        try (RenewLock held = ((RenewLock.Acquired) lock).lock()) {
            return new Ran(runLocked(request, progress, pid));
        }
    }

    private Result runLocked(Request request, RenewProgress progress, long pid) throws Exception {
        CertopsConfig cfg = session.config();
        // before deciding anything: settle releases a killed deploy left unverified, so the run decides on what is served
        Map<String, String> unsettled = new SettleUnfinished(session, operations, pid).run(scope(cfg, request), progress);
        Decided decided = decide(request);
        RenewHistory past = RenewHistory.read(session.history());
        long due = decided.decisions().stream().filter(d -> d.action() != RenewalAction.NONE).count();
        session.history().append(new NewEvent(EventKinds.RENEW_RUN_STARTED, "renew", "ok",
                Map.of("pid", pid, "due", due, "dryRun", false, "certificates", decided.decisions().size())));
        Instant now = session.clock().instant();
        List<RenewOutcome> outcomes = new ArrayList<>();
        List<RenewWorkers.Job> jobs = new ArrayList<>();
        CertificateRenewal work = new CertificateRenewal(operations, session.clock(), policy);
        for (int i = 0; i < decided.decisions().size(); i++) {
            RenewalDecision d = decided.decisions().get(i);
            KnownCertificates.Known k = decided.known().get(i);
            if (unsettled.containsKey(d.certificateId())) {
                outcomes.add(work.failed(k.input().config(), "recovery", unsettled.get(d.certificateId()),
                        List.of(), d.current().map(CertificateInfo::notAfter)));
                continue;
            }
            if (d.action() == RenewalAction.NONE) {
                outcomes.add(new RenewOutcome.NotDue(d.certificateId(), d.reason()));
                continue;
            }
            session.history().append(new NewEvent(EventKinds.RENEW_DECIDED, d.certificateId(), "info", Map.of("action",
                    d.action().name().toLowerCase(), "reason", d.reason(), "dueAt", d.dueAt().map(Instant::toString).orElse(""))));
            Optional<RenewHistory.Failing> failing = past.failing(d.certificateId());
            if (request.only().isEmpty() && failing.isPresent() && now.isBefore(failing.get().nextAttempt())) {
                RenewHistory.Failing f = failing.get();
                session.history().append(new NewEvent(EventKinds.RENEW_BACKED_OFF, d.certificateId(), "skipped",
                        Map.of("nextAttempt", f.nextAttempt().toString(), "failures", f.consecutive(), "reason", d.reason())));
                outcomes.add(new RenewOutcome.BackedOff(d.certificateId(), f.nextAttempt(), f.consecutive(), f.stage(), f.reason(),
                        d.current().map(CertificateInfo::notAfter), f.noCaWorked()));
                continue;
            }
            jobs.add(new RenewWorkers.Job(k, d, failing));
        }
        outcomes.addAll(new RenewWorkers(operations, session.clock(), concurrency, pid).run(cfg, jobs, work, progress));
        return finish(cfg, decided, outcomes);
    }

    private Result finish(CertopsConfig cfg, Decided decided, List<RenewOutcome> outcomes) throws Exception {
        Instant now = session.clock().instant();
        Map<String, CertificateInfo> current = new LinkedHashMap<>();
        Map<String, Instant> expiry = new LinkedHashMap<>();
        for (RenewalDecision d : decided.decisions()) d.current().ifPresent(c -> current.put(d.certificateId(), c));
        var versions = new CertificateVersions(session.workspace(), session.secrets());
        for (RenewOutcome o : outcomes) {
            if (o instanceof RenewOutcome.Renewed r) {
                versions.read(r.certificateId(), r.version()).ifPresent(v -> current.put(r.certificateId(), info(versions, v)));
            }
        }
        current.forEach((id, c) -> expiry.put(id, c.notAfter()));
        List<RunExit.Failure> failures = new ArrayList<>();
        for (RenewOutcome o : outcomes) {
            if (o instanceof RenewOutcome.Failed f) failures.add(new RunExit.Failure(f.certificateId(), f.notAfter(), f.noCaWorked()));
            if (o instanceof RenewOutcome.BackedOff b) failures.add(new RunExit.Failure(b.certificateId(), b.notAfter(), b.noCaWorked()));
        }
        int exit = RunExit.code(failures, f -> Optional.ofNullable(current.get(f.certificateId()))
                .map(c -> RenewConditions.expirySeverity(StatusRules.of(c.notBefore(), c.notAfter(), cfg.thresholds(), now)).isPresent())
                .orElse(true));
        Set<String> subjects = decided.decisions().stream().map(RenewalDecision::certificateId).collect(Collectors.toSet());
        AlertReport renewReport = alerts.report(AlertScope.of(RenewConditions.KINDS, subjects),
                RenewConditions.of(decided.decisions(), outcomes, current, cfg.thresholds(), now));
        AlertReport report = new AlertReport(Stream.of(renewReport, reportBudget(cfg), reportDiscovery(cfg))
                .flatMap(r -> r.deliveries().stream()).toList());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("renewed", count(outcomes, RenewOutcome.Renewed.class));
        d.put("redeployed", count(outcomes, RenewOutcome.Redeployed.class));
        d.put("failed", count(outcomes, RenewOutcome.Failed.class));
        d.put("skipped", count(outcomes, RenewOutcome.BackedOff.class));
        d.put("exit", exit);
        d.put("alertsFailed", report.failed().size());
        session.history().append(new NewEvent(EventKinds.RENEW_RUN_FINISHED, "renew", exit == RunExit.OK ? "ok" : "failed", d));
        return new Result(exit, decided.decisions(), outcomes, expiry, RenewHistory.read(session.history()), report);
    }

    /**
     * The run's discovery ({@code renew: discover:}): recorded like `estate discover`, and every unmanaged certificate alerts
     * ({@link UnmanagedConditions}); a target list that does not expand is logged and reports nothing (resolves nothing).
     */
    private AlertReport reportDiscovery(CertopsConfig cfg) throws Exception {
        if (cfg.renew().discover().isEmpty()) return AlertReport.EMPTY;
        RenewConfig.Discover d = cfg.renew().discover().get();
        List<Endpoint> endpoints;
        try {
            endpoints = Targets.endpoints(d.targets(), d.ports(), d.sni());
        } catch (IllegalArgumentException e) {
            LOG.warn("renew: discover: in {} cannot be expanded: {}", cfg.file(), e.getMessage());
            return AlertReport.EMPTY;
        }
        DiscoveryReport found = new Discovery(TlsProbe.forScanning(), session.clock(), session.history()).run(endpoints, cfg);
        Discovery.record(session.history(), found);
        return alerts.report(UnmanagedConditions.SCOPE, UnmanagedConditions.of(found, cfg.thresholds()));
    }

    /** The budget below its safety line ({@link BudgetConditions}); a budget that cannot be read is logged and reports nothing (resolves nothing). */
    private AlertReport reportBudget(CertopsConfig cfg) {
        List<AlertCondition> low;
        try {
            low = BudgetConditions.of(session.budget(), cfg.cas());
        } catch (Exception e) {
            LOG.warn("the rate-limit budget could not be read for alerts: {}", e.getMessage());
            return AlertReport.EMPTY;
        }
        return alerts.report(BudgetConditions.SCOPE, low);
    }

    record Decided(List<KnownCertificates.Known> known, List<RenewalDecision> decisions) { }

    /** The certificates a run covers: every managed one, or the one asked for. */
    private static List<CertificateConfig> scope(CertopsConfig cfg, Request request) {
        if (request.only().isEmpty()) return cfg.certificates();
        return List.of(cfg.certificate(request.only().get())
                .orElseThrow(() -> new IllegalArgumentException(cfg.unknownCertificate(request.only().get()))));
    }

    private Decided decide(Request request) throws Exception {
        CertopsConfig cfg = session.config();
        List<CertificateConfig> certs = scope(cfg, request);
        List<KnownCertificates.Known> known = new KnownCertificates(session).gather(cfg, certs, true);
        FileAriMoments moments = new FileAriMoments(session.workspace().stateDir().resolve("ari-moments.properties"), new Random());
        RenewalPlanner planner = new RenewalPlanner(session.clock(), cfg.renew(), moments);
        List<RenewalDecision> decisions = new ArrayList<>();
        try {
            for (KnownCertificates.Known k : known) {
                RenewalDecision d = manual(planner.decide(k.input()), k);
                if (request.only().isPresent() && d.action() == RenewalAction.NONE) {
                    d = new RenewalDecision(d.certificateId(), RenewalAction.RENEW, "forced by the operator (" + d.reason() + ")", d.current(),
                            Optional.of(session.clock().instant()), List.of());
                }
                decisions.add(d);
            }
        } finally {
            moments.save(); // once per run, and only when a moment was chosen
        }
        return new Decided(known, decisions);
    }

    /**
     * A due certificate whose current version was bought elsewhere ({@code import pem}) is not renewed
     * from an ACME CA behind the team's back: the decision says it is manual and since when it is due
     * (a warning: `renew` exits 1, and the scan's expiry alerts still fire). {@code renew --cert ID} or
     * {@code certops issue ID} moves it to ACME.
     */
    static RenewalDecision manual(RenewalDecision d, KnownCertificates.Known k) {
        if (d.action() != RenewalAction.RENEW || k.latest().isEmpty() || !CertificateVersions.MANUAL_CA.equals(k.latest().get().ca())) return d;
        if (d.current().isPresent() && !d.current().get().serial().equalsIgnoreCase(k.latest().get().serial())) return d; // something newer is live
        String id = d.certificateId();
        return new RenewalDecision(id, RenewalAction.NONE, RenewalPlanner.NOT_RENEWED + "renewal is manual (imported with `import pem`): due" + d.dueAt().map(t -> " since " + Words.instant(t)).orElse("")
                + ", expires " + Words.instant(k.latest().get().notAfter()) + " — renew it with its vendor, then `certops import pem --cert " + id
                + " FULLCHAIN KEY`; or move it to ACME with `certops issue " + id + "` (" + d.reason() + ")", d.current(), d.dueAt(), List.of());
    }

    /** The new version's leaf summary (kept beside it by {@link dev.certops.acme.CertificateVersions#info}). */
    private static CertificateInfo info(CertificateVersions versions, CertificateVersions.Version v) {
        try {
            return versions.info(v);
        } catch (IOException e) {
            throw new IllegalStateException("version " + v.number() + " of " + v.certificateId() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static long count(List<RenewOutcome> outcomes, Class<?> type) {
        return outcomes.stream().filter(type::isInstance).count();
    }
}

package dev.certops.acme;

import dev.certops.acme.IssuanceListener.Stage;
import dev.certops.acme.dns.CaaChecker;
import dev.certops.acme.dns.CaaIdentities;
import dev.certops.acme.dns.CaaVerdict;
import dev.certops.acme.dns.Resolvers;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.deploy.HostConnectors;
import dev.certops.history.HistoryStore;
import dev.certops.ratelimit.BudgetService;
import dev.certops.ratelimit.CertificateRequest;
import dev.certops.ratelimit.GuardDecision;
import dev.certops.startup.StartupTrace;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Issues a configured certificate from its CAs in order, with failover as a policy: unavailable →
 * retry with backoff, then the next CA; rate limited → wait (Retry-After, remembered across
 * restarts) or move on by the deadline; validation failed → stop (or move on, by policy); CAA checked
 * before failing over. Every decision and its reason is recorded in history.
 */
public final class IssuanceService {
    private final CertopsConfig config;
    private final Workspace workspace;
    private final SecretStore secrets;
    private final HistoryStore history;
    private final Clock clock;
    private final HostConnectors connectors;
    private final FailoverPolicy policy;
    private final Poller.Sleeper backoff;
    private final Supplier<Optional<BudgetService>> budget;
    private final Optional<Http01Responder> responder;
    private final boolean freshKey;
    private final Optional<AccountSessions> sessions;
    private final SessionsAhead aheads;

    /**
     * Issues over an open workspace — its configuration, folder, secrets, history, clock and host connectors, as the
     * composition root holds them — with {@code policy}; every order is first checked against {@code budget} (the
     * rate-limit budget; empty: no guard).
     */
    public IssuanceService(CertopsConfig config, Workspace workspace, SecretStore secrets, HistoryStore history, Clock clock,
                           HostConnectors connectors, FailoverPolicy policy, Supplier<Optional<BudgetService>> budget) {
        this(config, workspace, secrets, history, clock, connectors, policy, Poller.Sleeper.REAL, budget, Optional.empty(), false, Optional.empty(),
                new SessionsAhead());
    }

    private IssuanceService(CertopsConfig config, Workspace workspace, SecretStore secrets, HistoryStore history, Clock clock,
                            HostConnectors connectors, FailoverPolicy policy, Poller.Sleeper backoff, Supplier<Optional<BudgetService>> budget,
                            Optional<Http01Responder> responder, boolean freshKey, Optional<AccountSessions> sessions, SessionsAhead aheads) {
        this.config = Objects.requireNonNull(config, "config");
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.backoff = backoff;
        this.budget = Objects.requireNonNull(budget, "budget");
        this.responder = responder;
        this.freshKey = freshKey;
        this.sessions = sessions;
        this.aheads = aheads;
    }

    private IssuanceService with(Poller.Sleeper backoff, Supplier<Optional<BudgetService>> budget, Optional<Http01Responder> responder,
                                 boolean freshKey) {
        return new IssuanceService(config, workspace, secrets, history, clock, connectors, policy, backoff, budget, responder, freshKey,
                sessions, aheads);
    }

    /** The same service answering every HTTP-01 challenge with the in-process responder instead of a host's webroot. */
    public IssuanceService withHttp01Responder(Http01Responder r) {
        return with(backoff, budget, Optional.of(r), freshKey);
    }

    /**
     * The same service finalizing every new order with a freshly generated key, whatever the
     * certificate's {@code reuseKey:} says (after a key compromise the old key must never be reused).
     */
    public IssuanceService withFreshKey() {
        return with(backoff, budget, responder, true);
    }

    /**
     * The same service logging in through {@code shared}: one session and account login per CA for every
     * issuance that uses the same {@link AccountSessions} (a command over many certificates).
     */
    public IssuanceService withSharedSessions(AccountSessions shared) {
        return new IssuanceService(config, workspace, secrets, history, clock, connectors, policy, backoff, budget, responder, freshKey,
                Optional.of(shared), aheads);
    }

    /** The same service taking, for its first attempt at a CA, the session {@code opened} started for it ahead (if any). */
    public IssuanceService withSessionsAhead(SessionsAhead opened) {
        return new IssuanceService(config, workspace, secrets, history, clock, connectors, policy, backoff, budget, responder, freshKey,
                sessions, opened);
    }

    /** The same service waiting between retries and for a Retry-After through {@code s} (the seam tests control); polling always waits for real. */
    IssuanceService sleepingWith(Poller.Sleeper s) {
        return with(s, budget, responder, freshKey);
    }

    /** The same service without the rate-limit budget guard. */
    IssuanceService withoutBudget() {
        return with(backoff, Optional::empty, responder, freshKey);
    }

    public CertificateVersions versions() { return new CertificateVersions(workspace, secrets); }

    /** Issues; on failure an {@link IssuanceException} lists every CA tried and why. */
    public CertificateVersions.Version issue(IssueRequest req, IssuanceListener listener) throws Exception {
        CertopsConfig cfg = config;
        CertificateConfig cert = cfg.certificate(req.certificateId()).orElseThrow(() -> new IllegalArgumentException(
                cfg.unknownCertificate(req.certificateId())));
        List<CaConfig> cas = req.ca().isPresent()
                ? List.of(cfg.ca(req.ca().get()).orElseThrow(() -> new IllegalArgumentException("no CA '" + req.ca().get() + "' in certops.yaml")))
                : cfg.casFor(cert);
        return issue(cert, cas, req, listener);
    }

    /**
     * Issues {@code cert} from exactly {@code cas}, in that order (what a plan decided, whatever certops.yaml says by
     * now); on failure an {@link IssuanceException} lists every CA tried and why.
     */
    public CertificateVersions.Version issue(CertificateConfig cert, List<CaConfig> cas, IssueRequest req, IssuanceListener listener) throws Exception {
        CertopsConfig cfg = config;
        history.checkWritable(); // before anything is ordered: every step's intent must be recordable
        if (freshKey) dropPendingOrderWithAnIssuedKey(cert.id());
        Instant deadline = clock.instant().plus(policy.deadline());
        List<AcmeFailure> failures = new ArrayList<>();
        Decisions decisions = new Decisions(history, listener, cert.id());
        CaaChecker caa = new CaaChecker(Resolvers.of(cfg.resolvers()));
        for (int i = 0; i < cas.size(); i++) {
            CaEndpoint ca = new CaEndpoint(cas.get(i), req.staging());
            if (!ca.hasDirectory()) {
                failures.add(new AcmeFailure.Misconfigured(ca.label(), "has no staging: directory in certops.yaml"));
                continue;
            }
            Optional<AcmeFailure> blocked = i > 0 ? caaBlocks(caa, ca, cert) : Optional.empty();
            if (blocked.isPresent()) {
                failures.add(blocked.get());
                decisions.attempt(ca, "CaaForbids", "skip", blocked.get().message());
                continue;
            }
            Optional<String> replaces = req.replaces().filter(r -> r.ca().equals(ca.id())).map(IssueRequest.Replaces::ariId);
            Optional<CertificateVersions.Version> v = tryCa(ca, cert, replaces, req, deadline, failures, decisions, listener);
            if (v.isPresent()) return v.get();
            if (i + 1 < cas.size()) decisions.failover(ca, cas.get(i + 1).id(), failures.get(failures.size() - 1).message());
        }
        throw new IssuanceException(cert.id(), failures);
    }

    /**
     * With a fresh key, a pending order is re-attached only when its key was never in an issued
     * certificate: an order begun with a reused (possibly compromised) key is forgotten instead.
     */
    private void dropPendingOrderWithAnIssuedKey(String certificateId) throws Exception {
        PendingOrders pending = new PendingOrders(workspace);
        Optional<PendingOrders.Pending> p = pending.get(certificateId);
        if (p.isEmpty()) return;
        PublicKey key = KeyPairs.of(secrets.readPrivateKey(p.get().keyRef())).getPublic();
        CertificateVersions versions = versions();
        for (CertificateVersions.Version v : versions.list(certificateId)) {
            // the public key is in each version's certificate: no stored private key is decrypted to compare
            if (versions.leaf(v).getPublicKey().equals(key)) {
                pending.remove(certificateId);
                secrets.delete(p.get().keyRef());
                return;
            }
        }
    }

    /** Revocation reasons an operator can give. */
    public enum RevocationReason {
        UNSPECIFIED("unspecified", org.shredzone.acme4j.RevocationReason.UNSPECIFIED),
        KEY_COMPROMISE("key-compromise", org.shredzone.acme4j.RevocationReason.KEY_COMPROMISE),
        SUPERSEDED("superseded", org.shredzone.acme4j.RevocationReason.SUPERSEDED),
        CESSATION_OF_OPERATION("cessation-of-operation", org.shredzone.acme4j.RevocationReason.CESSATION_OF_OPERATION);

        private final String cliName;
        private final org.shredzone.acme4j.RevocationReason acme;

        /** Every reason's command-line name, in order ({@code unspecified}, {@code key-compromise}, ...). */
        public static List<String> cliNames() {
            return Arrays.stream(values()).map(r -> r.cliName).toList();
        }

        RevocationReason(String cliName, org.shredzone.acme4j.RevocationReason acme) {
            this.cliName = cliName;
            this.acme = acme;
        }

        public String cliName() { return cliName; }

        org.shredzone.acme4j.RevocationReason acme() { return acme; }

        /** By its CLI name ({@code key-compromise}) or its RFC 5280 name ({@code keyCompromise}). */
        public static Optional<RevocationReason> of(String name) {
            for (RevocationReason r : values()) {
                if (r.cliName.equals(name) || r.cliName.replace("-", "").equalsIgnoreCase(name)) return Optional.of(r);
            }
            return Optional.empty();
        }
    }

    /**
     * Revokes a stored version (the newest when {@code version} is empty) at the CA that issued it:
     * with the account key, or — for key-compromise — with the certificate's own key.
     */
    public CertificateVersions.Version revoke(String certificateId, Optional<Integer> version, RevocationReason reason) throws Exception {
        return new Revoker(config, workspace, secrets, history).revoke(certificateId, version, reason);
    }

    /**
     * A stored version ({@code version}, the newest when empty), or an {@link IllegalArgumentException}
     * saying where to look for what was issued.
     */
    public static CertificateVersions.Version storedVersion(CertificateVersions store, String certificateId, Optional<Integer> version)
            throws IOException {
        return (version.isPresent() ? store.read(certificateId, version.get()) : store.latest(certificateId))
                .orElseThrow(() -> new IllegalArgumentException("no stored version" + version.map(n -> " " + n).orElse("") + " of '" + certificateId
                        + "' — `certops history --subject " + certificateId + "` shows what was issued"));
    }

    private Optional<CertificateVersions.Version> tryCa(CaEndpoint ca, CertificateConfig cert, Optional<String> replaces, IssueRequest req,
                                                        Instant deadline, List<AcmeFailure> failures, Decisions decisions,
                                                        IssuanceListener listener) throws Exception {
        RateLimitMemory limits = new RateLimitMemory(history, clock);
        SessionAhead ahead = SessionAhead.none();
        boolean waitedOut = false;
        for (int attempt = 1; ; attempt++) {
            // right after waiting out the CA's Retry-After, ask again: the remembered limit is the one just waited for
            // (kept to the second in history, it can end a moment after the wait did)
            Optional<Instant> known;
            try (StartupTrace.Phase t = StartupTrace.phase("ACME: rate limits the CA announced, looked up")) {
                known = waitedOut ? Optional.empty() : limits.until(ca, new Accounts(workspace, secrets, null).accountUrl(ca), cert);
            }
            waitedOut = false;
            AcmeFailure failure;
            if (known.isPresent()) {
                failure = new AcmeFailure.RateLimited(ca.label(), known, List.of(), "rate limited until " + known.get() + " (the CA said so earlier)");
            } else {
                // the CA's TLS handshake and directory while the budget is checked (many certificates: once per CA for all of them)
                if (attempt == 1) {
                    Supplier<SessionAhead> open = () -> {
                        SessionAhead early = aheads.take(ca); // opened by the command as soon as its plan was known
                        return early != null ? early : SessionAhead.open(ca, workspace);
                    };
                    ahead = sessions.isPresent() ? sessions.get().ahead(ca, open) : open.get();
                }
                Optional<AcmeFailure> refused;
                try (StartupTrace.Phase t = StartupTrace.phase("ACME: rate-limit budget checked")) {
                    refused = budgetRefuses(ca, cert, replaces, req.budgetOverride());
                }
                if (refused.isPresent()) {
                    failures.add(refused.get());
                    decisions.attempt(ca, "BudgetRefused", policy.decide(refused.get(), attempt, clock.instant(), deadline).word(),
                            refused.get().message());
                    return Optional.empty();
                }
                try {
                    return Optional.of(attemptOnce(ca, cert, replaces, listener, ahead));
                } catch (OrderAttempt.AttemptFailed e) {
                    failure = e.failure;
                } catch (AcmeConfigProblem e) {
                    failure = new AcmeFailure.Misconfigured(ca.label(), e.getMessage());
                } catch (IOException e) {
                    if (!FailureClassifier.network(e)) {
                        // this machine's problem (a file, the disk): no other CA would do better, and failing over could order twice
                        failures.add(new AcmeFailure.Misconfigured(ca.label(), "on this machine, not at the CA: " + e.getMessage()
                                + " — fix it, then issue again"));
                        decisions.attempt(ca, "Misconfigured", "stop", failures.get(failures.size() - 1).message());
                        throw new IssuanceException(cert.id(), failures);
                    }
                    failure = FailureClassifier.classify(ca, e);
                } catch (AcmeException e) {
                    failure = FailureClassifier.classify(ca, e);
                    if (failure instanceof AcmeFailure.RateLimited rl) {
                        limits.remember(ca, new Accounts(workspace, secrets, null).accountUrl(ca), cert, rl);
                    }
                }
            }
            String kind = failure.getClass().getSimpleName();
            FailoverDecision decision = policy.decide(failure, attempt, clock.instant(), deadline);
            if (decision instanceof FailoverDecision.Retry retry) {
                decisions.attempt(ca, kind, decision.word(), failure.message() + "; retrying in " + retry.delay().toMillis() + " ms (attempt " + (attempt + 1)
                        + " of " + policy.attemptsPerCa() + ")");
                backoff.sleep(retry.delay());
                continue;
            }
            if (decision instanceof FailoverDecision.Wait w) {
                decisions.attempt(ca, kind, decision.word(), failure.message() + "; waiting " + w.delay().toMillis() + " ms (the CA's Retry-After ends before the deadline)");
                if (!w.delay().isZero()) backoff.sleep(w.delay());
                waitedOut = true;
                continue;
            }
            failures.add(failure);
            decisions.attempt(ca, kind, decision.word(), failure.message());
            if (decision instanceof FailoverDecision.Stop) throw new IssuanceException(cert.id(), failures);
            return Optional.empty();
        }
    }

    private CertificateVersions.Version attemptOnce(CaEndpoint ca, CertificateConfig cert, Optional<String> replaces,
                                                    IssuanceListener listener, SessionAhead ahead) throws Exception {
        Accounts accounts = new Accounts(workspace, secrets, history);
        Login login;
        if (sessions.isPresent()) {
            listener.progress(ca.label(), Stage.ACCOUNT, "connecting to " + ca.directory());
            try (StartupTrace.Phase t = StartupTrace.phase("ACME: session and account login")) {
                login = sessions.get().login(ca, () -> accounts.login(ca, ahead.takeOrOpen(ca, workspace)));
            }
        } else {
            listener.progress(ca.label(), Stage.ACCOUNT, "connecting to " + ca.directory());
            Session acme;
            try (StartupTrace.Phase t = StartupTrace.phase("ACME: session (opened ahead: awaited)")) {
                acme = ahead.takeOrOpen(ca, workspace);
            }
            try (StartupTrace.Phase t = StartupTrace.phase("ACME: account login")) {
                login = accounts.login(ca, acme);
            }
        }
        try (ChallengeScopes.Scope scope = new ChallengeScopes(config, connectors, secrets, clock, responder).open(cert)) {
            OrderAttempt order = new OrderAttempt(history, new Poller(Poller.Sleeper.REAL, clock), clock, listener,
                    new PendingOrders(workspace), versions(), freshKey);
            try {
                return order.run(ca, login, cert, scope.publisher(), replaces, policy.stepTimeout());
            } catch (AcmeServerException e) {
                if (!Accounts.unknownAccount(e)) throw e;
                listener.progress(ca.label(), Stage.ACCOUNT, "the CA no longer knows account " + login.getAccountLocation() + "; registering again");
                Login failed = login;
                AccountSessions.Opener again = () -> {
                    accounts.forget(ca);
                    return accounts.login(ca, failed.getSession());
                };
                return order.run(ca, sessions.isPresent() ? sessions.get().relogin(ca, failed, again) : again.open(), cert, scope.publisher(),
                        replaces, policy.stepTimeout());
            }
        }
    }

    private Optional<AcmeFailure> caaBlocks(CaaChecker caa, CaEndpoint ca, CertificateConfig cert) {
        Optional<String> identity = CaaIdentities.of(ca.ca());
        if (identity.isEmpty()) return Optional.empty();
        CaaVerdict v = caa.check(cert.names(), identity.get());
        return v.allowed() ? Optional.empty() : Optional.of(new AcmeFailure.CaaForbids(ca.label(), v.summary()));
    }

    private Optional<AcmeFailure> budgetRefuses(CaEndpoint ca, CertificateConfig cert, Optional<String> replaces, boolean override) {
        Optional<BudgetService> b = budget.get();
        if (b.isEmpty()) return Optional.empty();
        String account = new Accounts(workspace, secrets, null).accountUrl(ca);
        GuardDecision d = b.get().check(new CertificateRequest(cert.id(), ca.id(), ca.staging(), account, cert.names(), replaces), override);
        if (d instanceof GuardDecision.Refused r) return Optional.of(new AcmeFailure.BudgetRefused(ca.label(), r.reason()));
        if (d instanceof GuardDecision.NeedsOverride n) {
            return Optional.of(new AcmeFailure.BudgetRefused(ca.label(), n.reason() + " — issue with --override-budget to go past the safety line"));
        }
        return Optional.empty();
    }
}

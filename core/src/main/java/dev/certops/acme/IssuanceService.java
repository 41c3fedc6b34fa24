package dev.certops.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.acme.IssuanceListener.Stage;
import dev.certops.acme.dns.CaaChecker;
import dev.certops.acme.dns.CaaIdentities;
import dev.certops.acme.dns.CaaVerdict;
import dev.certops.acme.dns.DnsProviders;
import dev.certops.acme.dns.PropagationChecker;
import dev.certops.acme.dns.Resolvers;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ChallengeConfig;
import dev.certops.config.HostConfig;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.NewEvent;
import dev.certops.ratelimit.BudgetService;
import dev.certops.ratelimit.CertificateRequest;
import dev.certops.ratelimit.GuardDecision;
import dev.certops.session.Session;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Issues a configured certificate from its CAs in order, with failover as a policy: unavailable →
 * retry with backoff, then the next CA; rate limited → wait (Retry-After, remembered across
 * restarts) or move on by the deadline; validation failed → stop (or move on, by policy); CAA checked
 * before failing over. Every decision and its reason is recorded in history.
 */
public final class IssuanceService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Session session;
    private final FailoverPolicy policy;
    private final Poller.Sleeper sleeper;
    private final Supplier<Optional<BudgetService>> budget;

    public IssuanceService(Session session, FailoverPolicy policy) {
        this(session, policy, Poller.Sleeper.REAL, () -> {
            try {
                return Optional.of(session.budget());
            } catch (Exception e) {
                return Optional.empty();
            }
        });
    }

    IssuanceService(Session session, FailoverPolicy policy, Poller.Sleeper sleeper, Supplier<Optional<BudgetService>> budget) {
        this.session = session;
        this.policy = policy;
        this.sleeper = sleeper;
        this.budget = budget;
    }

    public CertificateVersions versions() { return new CertificateVersions(session.workspace(), session.secrets()); }

    /** Issues; on failure an {@link IssuanceException} lists every CA tried and why. */
    public CertificateVersions.Version issue(IssueRequest req, IssuanceListener listener) throws Exception {
        CertopsConfig cfg = session.config();
        CertificateConfig cert = cfg.certificate(req.certificateId()).orElseThrow(() -> new IllegalArgumentException(
                "no certificate '" + req.certificateId() + "' in certops.yaml"));
        List<CaConfig> cas = req.ca().isPresent()
                ? List.of(cfg.ca(req.ca().get()).orElseThrow(() -> new IllegalArgumentException("no CA '" + req.ca().get() + "' in certops.yaml")))
                : cfg.casFor(cert);
        Instant deadline = session.clock().instant().plus(policy.deadline());
        List<AcmeFailure> failures = new ArrayList<>();
        Poller poller = new Poller(sleeper, session.clock());
        CaaChecker caa = new CaaChecker(cfg.resolvers().isEmpty() ? Resolvers.system() : Resolvers.of(cfg.resolvers()));
        for (int i = 0; i < cas.size(); i++) {
            CaEndpoint ca = new CaEndpoint(cas.get(i), req.staging());
            if (!ca.hasDirectory()) {
                failures.add(new AcmeFailure.Misconfigured(ca.label(), "has no staging: directory in certops.yaml"));
                continue;
            }
            if (i > 0) {
                Optional<AcmeFailure> blocked = caaBlocks(caa, ca, cert);
                if (blocked.isPresent()) {
                    failures.add(blocked.get());
                    decide(cert, ca, "caa", "skip", blocked.get().message(), listener);
                    continue;
                }
            }
            Optional<String> replaces = req.replaces().filter(r -> r.ca().equals(ca.id())).map(IssueRequest.Replaces::ariId);
            Optional<CertificateVersions.Version> v = tryCa(ca, cert, replaces, req, deadline, poller, failures, listener);
            if (v.isPresent()) return v.get();
            if (i + 1 < cas.size()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("from", ca.id());
                d.put("to", cas.get(i + 1).id());
                d.put("reason", failures.get(failures.size() - 1).message());
                session.history().append(new NewEvent(EventKinds.ACME_FAILOVER, cert.id(), "info", d));
                listener.progress(ca.label(), Stage.DECISION, "failing over to " + cas.get(i + 1).id() + ": " + failures.get(failures.size() - 1).message());
            }
        }
        throw new IssuanceException(cert.id(), failures);
    }

    /** Revocation reasons an operator can give. */
    public enum RevocationReason {
        UNSPECIFIED("unspecified", org.shredzone.acme4j.RevocationReason.UNSPECIFIED),
        KEY_COMPROMISE("key-compromise", org.shredzone.acme4j.RevocationReason.KEY_COMPROMISE),
        SUPERSEDED("superseded", org.shredzone.acme4j.RevocationReason.SUPERSEDED),
        CESSATION_OF_OPERATION("cessation-of-operation", org.shredzone.acme4j.RevocationReason.CESSATION_OF_OPERATION);

        private final String cliName;
        private final org.shredzone.acme4j.RevocationReason acme;

        RevocationReason(String cliName, org.shredzone.acme4j.RevocationReason acme) {
            this.cliName = cliName;
            this.acme = acme;
        }

        public String cliName() { return cliName; }

        public static Optional<RevocationReason> of(String name) {
            for (RevocationReason r : values()) if (r.cliName.equals(name)) return Optional.of(r);
            return Optional.empty();
        }
    }

    /**
     * Revokes a stored version at the CA that issued it: with the account key, or — for
     * key-compromise — with the certificate's own key (proof that the key is out).
     */
    public CertificateVersions.Version revoke(String certificateId, Optional<Integer> version, RevocationReason reason) throws Exception {
        CertificateVersions store = versions();
        CertificateVersions.Version v = (version.isPresent() ? store.read(certificateId, version.get()) : store.latest(certificateId))
                .orElseThrow(() -> new IllegalArgumentException("no stored version" + version.map(n -> " " + n).orElse("") + " of '" + certificateId
                        + "' — `certops history --subject " + certificateId + "` shows what was issued"));
        CaConfig caCfg = session.config().ca(v.ca()).orElseThrow(() -> new IllegalArgumentException("version " + v.number() + " of '" + certificateId
                + "' was issued by CA '" + v.ca() + "', which is no longer in certops.yaml: add it back to revoke"));
        CaEndpoint ca = new CaEndpoint(caCfg, v.staging());
        java.security.cert.X509Certificate leaf = dev.certops.crypto.PemReader.readCertificates(store.fullchainPem(v), v.dir() + "/fullchain.pem").get(0);
        var provider = TrustingAcmeProvider.forTrust(ca.ca().trust().map(t -> session.workspace().resolve(t)).orElse(null));
        org.shredzone.acme4j.Session acme = new org.shredzone.acme4j.Session(ca.directory(), provider);
        if (reason == RevocationReason.KEY_COMPROMISE) {
            var priv = session.secrets().readPrivateKey(v.keyRef());
            org.shredzone.acme4j.Certificate.revoke(acme, KeyPairs.of(priv), leaf, reason.acme);
        } else {
            Login login = new Accounts(session.workspace(), session.secrets(), session.history()).login(ca, acme);
            org.shredzone.acme4j.Certificate.revoke(login, leaf, reason.acme);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("serial", v.serial());
        d.put("version", v.number());
        d.put("reason", reason.cliName());
        session.history().append(new NewEvent(EventKinds.ACME_REVOKED, certificateId, "ok", d));
        return v;
    }

    private Optional<CertificateVersions.Version> tryCa(CaEndpoint ca, CertificateConfig cert, Optional<String> replaces, IssueRequest req,
                                                        Instant deadline, Poller poller, List<AcmeFailure> failures,
                                                        IssuanceListener listener) throws Exception {
        int attempt = 0;
        while (true) {
            attempt++;
            Optional<Instant> known = knownRateLimit(ca);
            AcmeFailure failure;
            if (known.isPresent()) {
                failure = new AcmeFailure.RateLimited(ca.label(), known, List.of(), "rate limited until " + known.get() + " (the CA said so earlier)");
            } else {
                Optional<AcmeFailure> refused = budgetRefuses(ca, cert, replaces, req.budgetOverride());
                if (refused.isPresent()) {
                    failures.add(refused.get());
                    decide(cert, ca, "budget", "failover", refused.get().message(), listener);
                    return Optional.empty();
                }
                try {
                    return Optional.of(attemptOnce(ca, cert, replaces, poller, listener));
                } catch (OrderAttempt.AttemptFailed e) {
                    failure = e.failure;
                } catch (AcmeConfigProblem e) {
                    failure = new AcmeFailure.Misconfigured(ca.label(), e.getMessage());
                } catch (AcmeRateLimitedException e) {
                    failure = new AcmeFailure.RateLimited(ca.label(), e.getRetryAfter(), e.getDocuments().stream().map(Object::toString).toList(),
                            "rate limited: " + e.getMessage());
                    recordRateLimit(ca, cert, e);
                } catch (AcmeException | IOException e) {
                    failure = classify(ca, e);
                }
            }
            String kind = failure.getClass().getSimpleName();
            if (failure instanceof AcmeFailure.CaUnavailable && attempt < policy.attemptsPerCa()) {
                Duration wait = policy.backoff(attempt);
                decide(cert, ca, kind, "retry", failure.message() + "; retrying in " + wait.toMillis() + " ms (attempt " + (attempt + 1) + " of " + policy.attemptsPerCa() + ")", listener);
                sleeper.sleep(wait);
                continue;
            }
            if (failure instanceof AcmeFailure.RateLimited rl && rl.retryAfter().isPresent() && !rl.retryAfter().get().isAfter(deadline)
                    && attempt < policy.attemptsPerCa()) {
                Duration wait = Duration.between(session.clock().instant(), rl.retryAfter().get());
                decide(cert, ca, kind, "wait", failure.message() + "; waiting " + Math.max(0, wait.toSeconds()) + " s (before the deadline)", listener);
                if (!wait.isNegative()) sleeper.sleep(wait);
                continue;
            }
            failures.add(failure);
            boolean stop = failure instanceof AcmeFailure.ValidationFailed && !policy.failoverOnValidationFailure();
            decide(cert, ca, kind, stop ? "stop" : "failover", failure.message(), listener);
            if (stop) throw new IssuanceException(cert.id(), failures);
            return Optional.empty();
        }
    }

    private CertificateVersions.Version attemptOnce(CaEndpoint ca, CertificateConfig cert, Optional<String> replaces, Poller poller,
                                                    IssuanceListener listener) throws Exception {
        var provider = TrustingAcmeProvider.forTrust(ca.ca().trust().map(t -> session.workspace().resolve(t)).orElse(null));
        org.shredzone.acme4j.Session acme = new org.shredzone.acme4j.Session(ca.directory(), provider);
        listener.progress(ca.label(), Stage.ACCOUNT, "connecting to " + ca.directory());
        Login login = new Accounts(session.workspace(), session.secrets(), session.history()).login(ca, acme);
        try (ChallengeScope scope = challengeScope(cert)) {
            return new OrderAttempt(session.history(), poller, session.clock(), listener, new PendingOrders(session.workspace()), versions())
                    .run(ca, login, cert, scope.publisher(), replaces, policy.stepTimeout());
        }
    }

    /** The publisher for a certificate's challenge, with whatever connection it holds. */
    private record ChallengeScope(ChallengePublisher publisher, AutoCloseable resource) implements AutoCloseable {
        @Override public void close() throws Exception { if (resource != null) resource.close(); }
    }

    private ChallengeScope challengeScope(CertificateConfig cert) throws Exception {
        CertopsConfig cfg = session.config();
        ChallengeConfig ch = cert.challenge().orElseThrow(() -> new OrderAttempt.AttemptFailed(new AcmeFailure.Misconfigured("-",
                "certificate '" + cert.id() + "' has no challenge: add challenge: { type: http-01, host: ID } or { type: dns-01, dns: ID }")));
        if (ch.type() == ChallengeConfig.Type.HTTP_01) {
            HostConfig host = cfg.host(ch.host().orElseThrow()).orElseThrow();
            var channel = session.connectors().open(host);
            return new ChallengeScope(new ChallengePublisher.Webroot(host, channel), channel);
        }
        var dnsCfg = cfg.dnsProvider(ch.dns().orElseThrow()).orElseThrow();
        var provider = DnsProviders.build(dnsCfg, name -> {
            try {
                return session.secrets().read(name);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        PropagationChecker checker = cfg.resolvers().isEmpty()
                ? PropagationChecker.of(Resolvers.system(), session.clock())
                : PropagationChecker.of(Resolvers.of(cfg.resolvers()), session.clock());
        return new ChallengeScope(new ChallengePublisher.Dns(provider, checker, Duration.ofMinutes(2)), null);
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
        String account = new Accounts(session.workspace(), session.secrets(), null).accountUrl(ca);
        GuardDecision d = b.get().check(new CertificateRequest(cert.id(), ca.id(), ca.staging(), account, cert.names(), replaces), override);
        if (d instanceof GuardDecision.Refused r) return Optional.of(new AcmeFailure.BudgetRefused(ca.label(), r.reason()));
        if (d instanceof GuardDecision.NeedsOverride n) {
            return Optional.of(new AcmeFailure.BudgetRefused(ca.label(), n.reason() + " — issue with --override-budget to go past the safety line"));
        }
        return Optional.empty();
    }

    private Optional<Instant> knownRateLimit(CaEndpoint ca) throws Exception {
        Instant now = session.clock().instant();
        Instant[] until = {null};
        session.history().forEach(EventQuery.all().kind(EventKinds.ACME_RATE_LIMITED).since(now.minus(Duration.ofDays(8))), e -> {
            try {
                JsonNode d = JSON.readTree(e.details());
                if (!d.path("ca").asText().equals(ca.id()) || d.path("staging").asBoolean() != ca.staging()) return;
                String ra = d.path("retryAfter").asText("");
                if (!ra.isEmpty()) {
                    Instant t = Instant.parse(ra);
                    if (t.isAfter(now) && (until[0] == null || t.isAfter(until[0]))) until[0] = t;
                }
            } catch (Exception ignored) {
                // unreadable details are reported by `audit verify`
            }
        });
        return Optional.ofNullable(until[0]);
    }

    private void recordRateLimit(CaEndpoint ca, CertificateConfig cert, AcmeRateLimitedException e) throws Exception {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("account", new Accounts(session.workspace(), session.secrets(), null).accountUrl(ca));
        d.put("names", cert.names());
        e.getRetryAfter().ifPresent(t -> d.put("retryAfter", t.toString()));
        d.put("detail", String.valueOf(e.getMessage()));
        session.history().append(new NewEvent(EventKinds.ACME_RATE_LIMITED, cert.id(), "failed", d));
    }

    static AcmeFailure classify(CaEndpoint ca, Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof AcmeNetworkException || e.getCause() instanceof ConnectException || e.getCause() instanceof HttpTimeoutException
                || e instanceof IOException) {
            return new AcmeFailure.CaUnavailable(ca.label(), "unreachable: " + msg);
        }
        if (e instanceof AcmeServerException s) {
            var p = s.getProblem();
            String type = p.getType().toString();
            if (type.endsWith(":serverInternal") || p.asJSON().toString().matches("(?s).*\"status\"\\s*:\\s*5\\d\\d.*")) {
                return new AcmeFailure.CaUnavailable(ca.label(), "server error: " + msg);
            }
            return new AcmeFailure.Refused(ca.label(), msg);
        }
        if (msg.matches("(?s).*HTTP 5\\d\\d.*") || msg.contains("HTTP 503") || msg.toLowerCase().contains("timed out")) {
            return new AcmeFailure.CaUnavailable(ca.label(), msg);
        }
        return new AcmeFailure.Refused(ca.label(), msg);
    }

    private void decide(CertificateConfig cert, CaEndpoint ca, String outcome, String decision, String reason, IssuanceListener listener) throws Exception {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("outcome", outcome);
        d.put("decision", decision);
        d.put("reason", reason);
        session.history().append(new NewEvent(EventKinds.ACME_ATTEMPT, cert.id(), decision, d));
        listener.progress(ca.label(), Stage.DECISION, decision + ": " + reason);
    }
}

package dev.certops.acme;

import dev.certops.acme.IssuanceListener.Stage;
import dev.certops.config.CertificateConfig;
import dev.certops.crypto.Csr;
import dev.certops.crypto.Keys;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;

/**
 * One attempt to get a certificate from one CA: order (or re-attach to the pending one),
 * authorizations, challenges, finalize, download. Failures surface as acme4j exceptions or
 * {@link AttemptFailed}, which the failover policy classifies.
 */
final class OrderAttempt {
    private final HistoryStore history;
    private final Poller poller;
    private final Clock clock;
    private final IssuanceListener listener;
    private final PendingOrders pending;
    private final CertificateVersions versions;

    /** A failure already classified here (validation, publishing). */
    static final class AttemptFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient AcmeFailure failure;

        AttemptFailed(AcmeFailure failure) {
            super(failure.message());
            this.failure = failure;
        }
    }

    OrderAttempt(HistoryStore history, Poller poller, Clock clock, IssuanceListener listener, PendingOrders pending, CertificateVersions versions) {
        this.history = history;
        this.poller = poller;
        this.clock = clock;
        this.listener = listener;
        this.pending = pending;
        this.versions = versions;
    }

    CertificateVersions.Version run(CaEndpoint ca, Login login, CertificateConfig cert, ChallengePublisher publisher,
                                    Optional<String> replaces, Duration stepTimeout) throws Exception {
        String account = login.getAccountLocation().toString();
        Order order;
        KeyPair key;
        Optional<PendingOrders.Pending> p = pending.get(cert.id()).filter(x -> x.ca().equals(ca.id()) && x.staging() == ca.staging());
        Order reattached = p.isPresent() ? reattach(login, p.get()) : null;
        if (reattached != null) {
            order = reattached;
            key = keyPair(p.get().keyRef(), cert);
            listener.progress(ca.label(), Stage.ORDER, "re-attached to the order created before: " + order.getLocation());
            record(EventKinds.ACME_ORDER_REATTACHED, cert.id(), "ok", base(ca, account, cert, Map.of("orderUrl", order.getLocation().toString())));
        } else {
            key = Keys.generate(cert.key());
            String keyRef = cert.id() + "-pending.key";
            versions.secrets().writePrivateKey(keyRef, key.getPrivate());
            OrderBuilder b = login.newOrder().domains(cert.names());
            cert.profile().ifPresent(b::profile);
            replaces.ifPresent(b::replaces);
            order = b.create();
            pending.put(cert.id(), new PendingOrders.Pending(ca.id(), ca.staging(), order.getLocation().toString(), keyRef));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("orderUrl", order.getLocation().toString());
            extra.put("renewal", !versions.list(cert.id()).isEmpty());
            replaces.ifPresent(r -> extra.put("replaces", r));
            record(EventKinds.ACME_ORDER_CREATED, cert.id(), "ok", base(ca, account, cert, extra));
            listener.progress(ca.label(), Stage.ORDER, "order created for " + String.join(", ", cert.names()));
        }
        for (Authorization auth : order.getAuthorizations()) {
            authorize(ca, account, cert, auth, publisher, stepTimeout);
        }
        if (order.getStatus() != Status.VALID) {
            if (!poller.until(stepTimeout, () -> { order.fetch(); return order.getStatus() != Status.PENDING; })) {
                throw new AttemptFailed(new AcmeFailure.CaUnavailable(ca.label(), "the order did not become ready within " + stepTimeout.toSeconds() + " s"));
            }
            if (order.getStatus() == Status.READY) {
                listener.progress(ca.label(), Stage.FINALIZE, "finalizing with a new " + cert.key() + " key");
                order.execute(Csr.create(key, cert.names()));
            }
            if (!poller.until(stepTimeout, () -> { order.fetch(); return order.getStatus() == Status.VALID || order.getStatus() == Status.INVALID; })) {
                throw new AttemptFailed(new AcmeFailure.CaUnavailable(ca.label(), "the CA did not issue within " + stepTimeout.toSeconds() + " s of finalizing"));
            }
            if (order.getStatus() == Status.INVALID) {
                pending.remove(cert.id());
                throw new AttemptFailed(new AcmeFailure.Refused(ca.label(), "the order became invalid: " + order.getError().map(Problem::toString).orElse("no reason given")));
            }
        }
        listener.progress(ca.label(), Stage.DOWNLOAD, "downloading the certificate chain");
        Certificate c = order.getCertificate();
        c.download();
        if (cert.preferredChain().isPresent()) c = c.findCertificate(cert.preferredChain().get()).orElse(c);
        List<X509Certificate> chain = c.getCertificateChain();
        CertificateVersions.Version v = versions.store(cert.id(), chain, key.getPrivate(), ca.id(), ca.staging(), clock.instant());
        pending.remove(cert.id());
        versions.secrets().delete(cert.id() + "-pending.key");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("serial", v.serial());
        extra.put("notAfter", v.notAfter().toString());
        extra.put("version", v.number());
        extra.put("orderUrl", order.getLocation().toString());
        extra.put("certificateUrl", c.getLocation().toString());
        replaces.ifPresent(r -> extra.put("replaces", r));
        record(EventKinds.ACME_CERT_ISSUED, cert.id(), "ok", base(ca, account, cert, extra));
        listener.progress(ca.label(), Stage.DONE, "issued serial " + v.serial() + ", valid until " + v.notAfter() + " (version " + v.number() + ")");
        return v;
    }

    private void authorize(CaEndpoint ca, String account, CertificateConfig cert, Authorization auth, ChallengePublisher publisher,
                           Duration timeout) throws Exception {
        if (auth.getStatus() == Status.VALID) return;
        String name = auth.getIdentifier().getDomain();
        boolean dns = publisher instanceof ChallengePublisher.Dns;
        Challenge challenge = dns ? auth.findChallenge(Dns01Challenge.class).orElse(null) : auth.findChallenge(Http01Challenge.class).orElse(null);
        if (challenge == null) {
            throw new AttemptFailed(new AcmeFailure.Refused(ca.label(), "the CA offers no " + (dns ? "dns-01" : "http-01") + " challenge for " + name
                    + (auth.isWildcard() ? " (wildcards need dns-01)" : "")));
        }
        String where = dns ? ((Dns01Challenge) challenge).getRRName(auth.getIdentifier()) : ((Http01Challenge) challenge).getToken();
        String content = dns ? ((Dns01Challenge) challenge).getDigest() : ((Http01Challenge) challenge).getAuthorization();
        try {
            listener.progress(ca.label(), Stage.CHALLENGE, "publishing the " + challenge.getType() + " response for " + name);
            String published;
            try {
                published = publisher.publish(name, where, content);
            } catch (ChallengePublisher.PublishException e) {
                throw new AttemptFailed(new AcmeFailure.Misconfigured(ca.label(), e.getMessage()));
            }
            listener.progress(ca.label(), dns ? Stage.PROPAGATION : Stage.CHALLENGE, published);
            challenge.trigger();
            listener.progress(ca.label(), Stage.VALIDATION, "asked the CA to validate " + name);
            boolean finished = poller.until(timeout, () -> {
                auth.fetch();
                return auth.getStatus() != Status.PENDING;
            });
            if (auth.getStatus() == Status.VALID) {
                record(EventKinds.ACME_AUTHZ_VALID, cert.id(), "ok", base(ca, account, cert, Map.of("identifier", name)));
                return;
            }
            challenge.fetch();
            String detail = challenge.getError().map(OrderAttempt::describe).orElse(finished ? "the CA gave no detail" : "validation did not finish within " + timeout.toSeconds() + " s");
            pending.remove(cert.id());
            record(EventKinds.ACME_AUTHZ_FAILED, cert.id(), "failed", base(ca, account, cert, Map.of("identifier", name, "challenge", challenge.getType(), "detail", detail)));
            throw new AttemptFailed(new AcmeFailure.ValidationFailed(ca.label(), name, "the CA could not validate " + name + " (" + challenge.getType() + "): " + detail));
        } finally {
            publisher.remove(name, where, content);
        }
    }

    static String describe(Problem p) {
        String s = p.getDetail().orElse(p.getType().toString());
        List<String> subs = new ArrayList<>();
        for (Problem sub : p.getSubProblems()) subs.add(sub.getDetail().orElse(sub.getType().toString()));
        return subs.isEmpty() ? s : s + " (" + String.join("; ", subs) + ")";
    }

    private Order reattach(Login login, PendingOrders.Pending p) {
        try {
            Order o = login.bindOrder(URI.create(p.orderUrl()).toURL());
            o.fetch();
            if (o.getStatus() == Status.INVALID) return null;
            if (o.getExpires().map(e -> e.isBefore(clock.instant())).orElse(false)) return null;
            return o;
        } catch (Exception e) {
            return null;
        }
    }

    private KeyPair keyPair(String keyRef, CertificateConfig cert) throws Exception {
        return KeyPairs.of(versions.secrets().readPrivateKey(keyRef));
    }

    private static Map<String, Object> base(CaEndpoint ca, String account, CertificateConfig cert, Map<String, ?> extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("account", account);
        d.put("names", cert.names());
        d.putAll(extra);
        return d;
    }

    private void record(String kind, String subject, String outcome, Map<String, Object> details) throws HistoryException {
        history.append(new NewEvent(kind, subject, outcome, details));
    }
}

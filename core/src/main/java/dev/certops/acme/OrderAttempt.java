package dev.certops.acme;

import dev.certops.acme.IssuanceListener.Stage;
import dev.certops.config.CertificateConfig;
import dev.certops.crypto.Csr;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.startup.StartupTrace;
import dev.certops.words.Causes;
import dev.certops.words.Words;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
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
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;

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

    private final boolean freshKey;
    /** Whether this run recorded its finalize intent already. */
    private boolean finalizeIntent;

    /** @param freshKey a new key whatever the certificate's {@code reuseKey:} says (after a key compromise) */
    OrderAttempt(HistoryStore history, Poller poller, Clock clock, IssuanceListener listener, PendingOrders pending, CertificateVersions versions,
                 boolean freshKey) {
        this.freshKey = freshKey;
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
        finalizeIntent = false;
        Order order;
        KeyPair key;
        String keyNote = "the key generated for this order";
        Optional<String> sentReplaces = Optional.empty();
        Optional<PendingOrders.Pending> p = pending.get(cert.id()).filter(x -> x.ca().equals(ca.id()) && x.staging() == ca.staging());
        Order reattached = p.isPresent() ? reattach(ca, login, p.get()) : null;
        if (reattached != null) {
            order = reattached;
            key = keyPair(p.get().keyRef(), cert);
            sentReplaces = p.get().replaces();
            listener.progress(ca.label(), Stage.ORDER, "re-attached to the order created before: " + order.getLocation());
            record(EventKinds.ACME_ORDER_REATTACHED, cert.id(), "ok", base(ca, account, cert, Map.of("orderUrl", order.getLocation().toString())));
        } else {
            String keyRef = cert.id() + "-pending.key";
            try (StartupTrace.Phase t = StartupTrace.phase("ACME: certificate key chosen and stored")) {
                CertificateKeys.Chosen chosen = CertificateKeys.forNewOrder(cert, versions, freshKey);
                key = chosen.pair();
                keyNote = chosen.description();
                versions.secrets().writePrivateKey(keyRef, key.getPrivate());
            }
            var acme = login.getSession();
            OrderOptions opts = OrderOptions.fit(ca, acme.getMetadata(), acme.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent(),
                    cert.profile(), replaces);
            opts.notes().forEach(n -> listener.progress(ca.label(), Stage.ORDER, n));
            history.appendIntent(new NewEvent(EventKinds.ACME_INTENT, cert.id(), "intent", base(ca, account, cert, Map.of("step", "order"))));
            OrderBuilder b = login.newOrder().domains(cert.names());
            opts.profile().ifPresent(b::profile);
            opts.replaces().ifPresent(b::replaces);
            try (StartupTrace.Phase t = StartupTrace.phase("ACME: new order")) {
                order = b.create();
            }
            pending.put(cert.id(), new PendingOrders.Pending(ca.id(), ca.staging(), order.getLocation().toString(), keyRef, opts.replaces()));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("orderUrl", order.getLocation().toString());
            extra.put("renewal", versions.any(cert.id()));
            opts.replaces().ifPresent(r -> extra.put("replaces", r));
            opts.profile().ifPresent(pr -> extra.put("profile", pr));
            record(EventKinds.ACME_ORDER_CREATED, cert.id(), "ok", base(ca, account, cert, extra));
            sentReplaces = opts.replaces();
            listener.progress(ca.label(), Stage.ORDER, "order created for " + String.join(", ", cert.names()));
        }
        Csr.Ahead csr = Csr.ahead(key, cert.names()); // built while the names are authorized; used when the order is ready
        List<Authorization> auths = order.getAuthorizations();
        long valid = auths.stream().filter(a -> a.getStatus() == Status.VALID).count();
        listener.progress(ca.label(), Stage.AUTHORIZATION, auths.size() + " authorization(s)" + (valid > 0 ? ", " + valid + " already valid" : ""));
        try {
            for (Authorization auth : auths) {
                new AuthorizationStep(history, poller, listener).authorize(ca, account, cert, auth, publisher, stepTimeout);
            }
        } catch (AttemptFailed e) {
            if (e.failure instanceof AcmeFailure.ValidationFailed) discard(cert); // the order is invalid now: nothing to re-attach to
            throw e;
        }
        if (order.getStatus() != Status.VALID) {
            Poller.Check issuedOrRefused = () -> { order.fetch(); return order.getStatus() == Status.VALID || order.getStatus() == Status.INVALID; };
            boolean issued;
            boolean finalized = false;
            if (order.getStatus() == Status.PENDING || order.getStatus() == Status.READY) {
                // every authorization is valid now, so the order is ready (RFC 8555 7.1.6): finalize without asking first
                // (a round trip less); a CA that is not there yet answers orderNotReady, and the order is watched until it is
                finalizing(ca, account, cert, order, keyNote);
                finalized = finalizeOrder(order, csr);
            }
            if (!finalized) {
                if (!poller.until(stepTimeout, () -> { order.fetch(); return order.getStatus() != Status.PENDING; })) {
                    throw new AttemptFailed(new AcmeFailure.CaUnavailable(ca.label(), "the order did not become ready within " + stepTimeout.toSeconds() + " s"));
                }
                if (order.getStatus() == Status.READY) {
                    finalizing(ca, account, cert, order, keyNote);
                    order.execute(csr.bytes());
                    finalized = true;
                }
            }
            if (finalized) {
                // acme4j drops the finalize answer (the order, "processing" while the CA signs): the first look after a pause
                issued = poller.afterPause(stepTimeout, issuedOrRefused);
            } else {
                issued = poller.until(stepTimeout, issuedOrRefused);
            }
            if (!issued) {
                throw new AttemptFailed(new AcmeFailure.CaUnavailable(ca.label(), "the CA did not issue within " + stepTimeout.toSeconds() + " s of finalizing"));
            }
            if (order.getStatus() == Status.INVALID) {
                discard(cert);
                throw new AttemptFailed(new AcmeFailure.Refused(ca.label(), "the order became invalid: " + order.getError().map(Problem::toString).orElse("no reason given")));
            }
        }
        listener.progress(ca.label(), Stage.DOWNLOAD, "downloading the certificate chain");
        Certificate c = order.getCertificate();
        c.download();
        if (cert.preferredChain().isPresent()) {
            Optional<Certificate> preferred = c.findCertificate(cert.preferredChain().get());
            if (preferred.isEmpty()) {
                listener.progress(ca.label(), Stage.DOWNLOAD, "no chain issued by '" + cert.preferredChain().get() + "' is offered; keeping the default chain");
            }
            c = preferred.orElse(c);
        }
        List<X509Certificate> chain = c.getCertificateChain();
        CertificateVersions.Version v = versions.store(cert.id(), chain, key.getPrivate(), ca.id(), ca.staging(), clock.instant());
        discard(cert);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("serial", v.serial());
        extra.put("notAfter", v.notAfter().toString());
        extra.put("version", v.number());
        extra.put("orderUrl", order.getLocation().toString());
        extra.put("certificateUrl", c.getLocation().toString());
        sentReplaces.ifPresent(r -> extra.put("replaces", r));
        HistoryEvent issued = history.append(new NewEvent(EventKinds.ACME_CERT_ISSUED, cert.id(), "ok", base(ca, account, cert, extra)));
        try {
            versions.anchor(v, issued.seq(), issued.hash());
        } catch (IOException e) {
            listener.progress(ca.label(), Stage.DONE, "could not write the history anchor into version " + v.number() + "'s version.json: " + e.getMessage());
        }
        listener.progress(ca.label(), Stage.DONE, "issued serial " + v.serial() + ", valid until " + Words.instant(v.notAfter()) + " (version " + v.number() + ")");
        return v;
    }

    /** Says so and records the write-ahead intent, once per order (a finalize the CA answered "not ready" is retried under it). */
    private void finalizing(CaEndpoint ca, String account, CertificateConfig cert, Order order, String keyNote) throws HistoryException {
        if (finalizeIntent) return;
        finalizeIntent = true;
        listener.progress(ca.label(), Stage.FINALIZE, "finalizing with " + keyNote);
        history.appendIntent(new NewEvent(EventKinds.ACME_INTENT, cert.id(), "intent", base(ca, account, cert,
                Map.of("step", "finalize", "orderUrl", order.getLocation().toString()))));
    }

    /** Finalizes; false when the CA answers that the order is not ready yet (its authorizations still settling). */
    private static boolean finalizeOrder(Order order, Csr.Ahead csr) throws Exception {
        try {
            order.execute(csr.bytes());
            return true;
        } catch (AcmeServerException e) {
            if (e.getType().toString().equals("urn:ietf:params:acme:error:orderNotReady")) return false;
            throw e;
        }
    }

    /**
     * The pending order, or null when the CA no longer has it usable (invalid, expired, gone) so a
     * new one is due. A CA that is unreachable or rate limiting now is not "gone": that propagates to
     * the failover policy, so a passing outage never costs a second order.
     */
    private Order reattach(CaEndpoint ca, Login login, PendingOrders.Pending p) throws AcmeException {
        try {
            Order o = login.bindOrder(URI.create(p.orderUrl()).toURL());
            o.fetch();
            if (o.getStatus() == Status.INVALID) return gone(ca, p, "it became invalid");
            if (o.getExpires().map(e -> e.isBefore(clock.instant())).orElse(false)) return gone(ca, p, "it expired");
            return o;
        } catch (AcmeException e) {
            AcmeFailure f = FailureClassifier.classify(ca, e);
            if (f instanceof AcmeFailure.CaUnavailable || f instanceof AcmeFailure.RateLimited) throw e;
            return gone(ca, p, "the CA answered: " + (e.getMessage() == null ? Causes.of(e) : Causes.clean(e.getMessage())));
        } catch (MalformedURLException | IllegalArgumentException e) {
            return gone(ca, p, "its address is not a URL");
        }
    }

    /** Says why the interrupted order cannot be re-attached (an account or order the CA no longer has: HTTP 404); a new one is placed. */
    private Order gone(CaEndpoint ca, PendingOrders.Pending p, String why) {
        listener.progress(ca.label(), Stage.ORDER, "the order created before (" + p.orderUrl() + ") cannot be continued: " + why
                + "; placing a new order (nothing issued was lost)");
        return null;
    }

    /** Forgets the pending order and deletes its key from secrets/ (issued versions keep their own copy). */
    private void discard(CertificateConfig cert) throws IOException {
        pending.remove(cert.id());
        versions.secrets().delete(cert.id() + "-pending.key");
    }

    private KeyPair keyPair(String keyRef, CertificateConfig cert) throws Exception {
        return KeyPairs.of(versions.secrets().readPrivateKey(keyRef));
    }

    static Map<String, Object> base(CaEndpoint ca, String account, CertificateConfig cert, Map<String, ?> extra) {
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

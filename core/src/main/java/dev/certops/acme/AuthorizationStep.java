package dev.certops.acme;

import dev.certops.acme.IssuanceListener.Stage;
import dev.certops.config.CertificateConfig;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;

/**
 * One authorization: publish the challenge response, ask the CA to validate, poll, and take the
 * response away again — on success and on failure. A failed validation names the identifier and
 * what the CA saw ({@code acme.authorization.failed}).
 */
final class AuthorizationStep {
    private final HistoryStore history;
    private final Poller poller;
    private final IssuanceListener listener;

    AuthorizationStep(HistoryStore history, Poller poller, IssuanceListener listener) {
        this.history = history;
        this.poller = poller;
        this.listener = listener;
    }

    void authorize(CaEndpoint ca, String account, CertificateConfig cert, Authorization auth, ChallengePublisher publisher,
                           Duration timeout) throws Exception {
        if (auth.getStatus() == Status.VALID) return;
        String name = auth.getIdentifier().getDomain();
        boolean dns = publisher.dns();
        Challenge challenge = dns ? auth.findChallenge(Dns01Challenge.class).orElse(null) : auth.findChallenge(Http01Challenge.class).orElse(null);
        if (challenge == null) {
            throw new OrderAttempt.AttemptFailed(new AcmeFailure.Refused(ca.label(), "the CA offers no " + (dns ? "dns-01" : "http-01") + " challenge for " + name
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
                throw new OrderAttempt.AttemptFailed(new AcmeFailure.Misconfigured(ca.label(), e.getMessage()));
            }
            listener.progress(ca.label(), dns ? Stage.PROPAGATION : Stage.CHALLENGE, published);
            challenge.trigger();
            listener.progress(ca.label(), Stage.VALIDATION, "asked the CA to validate " + name);
            boolean finished = poller.until(timeout, () -> {
                auth.fetch();
                return auth.getStatus() != Status.PENDING;
            });
            if (auth.getStatus() == Status.VALID) {
                record(EventKinds.ACME_AUTHZ_VALID, cert.id(), "ok", OrderAttempt.base(ca, account, cert, Map.of("identifier", name)));
                return;
            }
            challenge.fetch();
            String detail = challenge.getError().map(AuthorizationStep::describe).orElse(finished ? "the CA gave no detail" : "validation did not finish within " + timeout.toSeconds() + " s");
            record(EventKinds.ACME_AUTHZ_FAILED, cert.id(), "failed", OrderAttempt.base(ca, account, cert, Map.of("identifier", name, "challenge", challenge.getType(), "detail", detail)));
            throw new OrderAttempt.AttemptFailed(new AcmeFailure.ValidationFailed(ca.label(), name, challenge.getType(), detail));
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


    private void record(String kind, String subject, String outcome, Map<String, Object> details) throws HistoryException {
        history.append(new NewEvent(kind, subject, outcome, details));
    }
}

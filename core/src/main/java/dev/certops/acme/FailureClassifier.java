package dev.certops.acme;

import dev.certops.words.Causes;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Turns what acme4j threw into an {@link AcmeFailure} the failover policy decides on: unreachable,
 * 5xx, timeouts and nonces rejected more often than acme4j retries them are "unavailable" (retried
 * with backoff); rateLimited carries the CA's Retry-After (acme4j adds delta-seconds to the server's
 * Date header, not the local clock) and its help documents; anything else is a refusal.
 */
final class FailureClassifier {
    private static final String BAD_NONCE = "urn:ietf:params:acme:error:badNonce";

    private FailureClassifier() { }

    /**
     * Whether {@code e} (or a cause) is the network failing: connect, DNS, TLS handshake, reset, timeout.
     * Other I/O problems (a file that cannot be read or written, a full disk) are this machine's, not the CA's.
     */
    static boolean network(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AcmeNetworkException || t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException || t instanceof HttpTimeoutException || t instanceof ConnectException
                    || t instanceof SSLException || t instanceof HttpConnectTimeoutException
                    || t instanceof EOFException || t instanceof ProtocolException) {
                return true;
            }
        }
        return false;
    }

    static AcmeFailure classify(CaEndpoint ca, Exception e) {
        String msg = e.getMessage() == null ? Causes.of(e) : Causes.clean(e.getMessage());
        if (e instanceof AcmeRateLimitedException rl) {
            return new AcmeFailure.RateLimited(ca.label(), rl.getRetryAfter(), rl.getDocuments().stream().map(Object::toString).toList(),
                    "rate limited: " + msg);
        }
        Optional<String> tls = CaTls.misconfigured(e);
        if (tls.isPresent()) return new AcmeFailure.Misconfigured(ca.label(), tls.get());
        if (e instanceof AcmeNetworkException || network(e)) {
            return new AcmeFailure.CaUnavailable(ca.label(), "unreachable: " + Causes.of(e));
        }
        if (e instanceof AcmeServerException s) {
            var p = s.getProblem();
            String type = p.getType().toString();
            if (BAD_NONCE.equals(type)) {
                return new AcmeFailure.CaUnavailable(ca.label(), "the CA rejected nonces more often than acme4j retries them: " + msg);
            }
            if (type.endsWith(":serverInternal") || p.asJSON().toString().matches("(?s).*\"status\"\\s*:\\s*5\\d\\d.*")) {
                return new AcmeFailure.CaUnavailable(ca.label(), "server error: " + msg);
            }
            return new AcmeFailure.Refused(ca.label(), msg);
        }
        if (e instanceof AcmeException && msg.matches("HTTP 429.*")) {
            return new AcmeFailure.RateLimited(ca.label(), Optional.empty(), List.of(), "rate limited: " + msg + " (no problem document, no Retry-After)");
        }
        if (e instanceof AcmeException && msg.matches("HTTP (404|405|410).*")) {
            return new AcmeFailure.Misconfigured(ca.label(), ca.directory() + " is not an ACME directory (the server answered " + msg
                    + ") — check the directory URL in certops.yaml (Let's Encrypt: https://acme-v02.api.letsencrypt.org/directory)");
        }
        if (msg.matches("(?s).*HTTP 5\\d\\d.*") || msg.toLowerCase().contains("timed out")) {
            return new AcmeFailure.CaUnavailable(ca.label(), msg);
        }
        return new AcmeFailure.Refused(ca.label(), msg);
    }
}

package dev.certops.acme;

import dev.certops.crypto.KeyType;
import dev.certops.crypto.Keys;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.AcmeUtils;

/**
 * ACME Renewal Information (RFC 9773): when the CA suggests renewing a certificate, and the
 * certificate's ARI id (sent as {@code replaces} when renewing with the same CA). Renewal info is an
 * unauthenticated GET; a CA without it (Pebble 2.4) simply has no window.
 */
public final class RenewalInformation {
    private final Optional<Path> trust;

    /** The CA's suggested renewal window. */
    public record Window(Instant start, Instant end, Optional<URI> explanation, Optional<Instant> retryAfter) {
        /** True when {@code now} is past the start of the window. */
        public boolean begun(Instant now) { return !now.isBefore(start); }
    }

    public RenewalInformation(Optional<Path> trust) { this.trust = trust; }

    /** The CA could not be reached for renewal information (network, TLS, timeout, HTTP 5xx or 429, a rate limit). */
    public static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;
        Unreachable(String message, Throwable cause) { super(message, cause); }
    }

    /** The certificate, read only once the CA is known to offer renewal information. */
    public interface Leaf { X509Certificate get() throws IOException; }

    /**
     * The window, or empty when the CA offers no renewal information; the certificate is read only when it does.
     *
     * @throws Unreachable when the CA cannot be reached now, is down or limits requests
     */
    public Optional<Window> window(URI directory, Leaf cert) throws AcmeException, IOException {
        if (!DirectoryProbe.offersRenewalInfo(directory, trust)) return Optional.empty();
        try {
            return fetch(directory, cert);
        } catch (AcmeNetworkException e) {
            throw new Unreachable(e.getMessage(), e);
        } catch (AcmeException e) {
            if (unavailable(e)) throw new Unreachable(e.getMessage(), e);
            throw e;
        }
    }

    private static final Pattern UNAVAILABLE_STATUS = Pattern.compile("HTTP (5\\d\\d|429)\\b.*");

    /** The CA is down, overloaded or limiting requests: a rate limit, a server-side problem, or HTTP 5xx/429 without one. */
    static boolean unavailable(AcmeException e) {
        if (e instanceof AcmeRateLimitedException) return true;
        if (e instanceof AcmeServerException s) {
            if (s.getType().toString().endsWith(":serverInternal")) return true;
            Object status = s.getProblem().asJSON().toMap().get("status");
            return status instanceof Number n && (n.intValue() / 100 == 5 || n.intValue() == 429);
        }
        return e.getMessage() != null && UNAVAILABLE_STATUS.matcher(e.getMessage()).matches();
    }

    private Optional<Window> fetch(URI directory, Leaf cert) throws AcmeException, IOException {
        Session session = new Session(directory, TrustingAcmeProvider.forTrust(trust.orElse(null)));
        if (session.resourceUrlOptional(Resource.RENEWAL_INFO).isEmpty()) return Optional.empty();
        RenewalInfo info = anonymous(session).bindRenewalInfo(cert.get());
        Optional<Instant> retryAfter = info.fetch();
        return Optional.of(new Window(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(),
                info.getExplanation().map(u -> URI.create(u.toString())), retryAfter));
    }

    /** The certificate's ARI id: base64url(authority key id) "." base64url(serial). */
    public static String ariId(X509Certificate cert) {
        try {
            return AcmeUtils.getRenewalUniqueIdentifier(cert);
        } catch (Exception e) {
            throw new IllegalArgumentException("the certificate has no authority key identifier, so it has no ARI id", e);
        }
    }

    /** Renewal info needs no account: a login object only carries the session. */
    private static Login anonymous(Session session) throws MalformedURLException {
        URL none = URI.create("https://account.invalid/").toURL();
        return new Login(none, Keys.generate(KeyType.EC_P256), session);
    }
}

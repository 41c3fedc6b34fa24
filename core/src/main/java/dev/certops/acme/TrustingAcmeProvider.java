package dev.certops.acme;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.toolbox.JSON;

/**
 * The generic ACME provider, with the CA entry's {@code trust:} PEM added as a trust anchor for
 * this CA's connections only (internal and test CAs) — never a global "trust all". With or without
 * a file, a certificate no anchor vouches for is named ({@link CaTls}), not a network error.
 */
final class TrustingAcmeProvider extends GenericAcmeProvider {
    /** How long a directory read by this session is used without asking again, when the CA gave no expiry of its own. */
    static final Duration DIRECTORY_REUSE = Duration.ofMinutes(1);

    private final SSLContext ssl;
    private final AtomicLong directoryReadAt = new AtomicLong(); // System.nanoTime() of the last read, 0 = none yet

    private TrustingAcmeProvider(SSLContext ssl) { this.ssl = ssl; }

    static GenericAcmeProvider forTrust(Path trustPem) throws IOException {
        return new TrustingAcmeProvider(CaTls.sslContext(Optional.ofNullable(trustPem)));
    }

    /** TLS with the JDK's trust anchors plus those of {@code trustPem}, naming an untrusted CA certificate. */
    static SSLContext sslContext(Path trustPem) throws IOException {
        return CaTls.sslContext(Optional.of(trustPem));
    }

    /**
     * The directory once per session and minute, not once per look-up: acme4j asks again for every resource or
     * metadata look-up unless the CA says the directory is fresh (Pebble says nothing, Let's Encrypt max-age=0),
     * which cost an issuance three extra round trips. Within a minute of reading it a session uses what it read.
     */
    @Override
    public JSON directory(Session session, URI serverUri) throws AcmeException {
        long readAt = directoryReadAt.get();
        if (session.hasDirectory() && readAt != 0 && System.nanoTime() - readAt < DIRECTORY_REUSE.toNanos()) {
            return null; // acme4j keeps the directory it has
        }
        JSON read = super.directory(session, serverUri);
        if (read != null) directoryReadAt.set(System.nanoTime());
        return read;
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector()).sslContext(ssl).build();
    }
}

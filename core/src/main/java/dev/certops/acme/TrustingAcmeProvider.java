package dev.certops.acme;

import dev.certops.crypto.TrustAnchors;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * The generic ACME provider, with the CA entry's {@code trust:} PEM added as a trust anchor for
 * this CA's connections only (internal and test CAs) — never a global "trust all".
 */
final class TrustingAcmeProvider extends GenericAcmeProvider {
    private final SSLContext ssl;

    private TrustingAcmeProvider(SSLContext ssl) { this.ssl = ssl; }

    static GenericAcmeProvider forTrust(Path trustPem) throws IOException {
        return trustPem == null ? new GenericAcmeProvider() : new TrustingAcmeProvider(sslContext(trustPem));
    }

    /** TLS with the JDK's trust anchors plus those of {@code trustPem}. */
    static SSLContext sslContext(Path trustPem) throws IOException {
        return TrustAnchors.sslContext(Optional.of(trustPem));
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector()).sslContext(ssl).build();
    }
}

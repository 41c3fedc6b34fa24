package dev.certops.acme;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * The generic ACME provider, with the CA entry's {@code trust:} PEM added as a trust anchor for
 * this CA's connections only (internal and test CAs) — never a global "trust all". With or without
 * a file, a certificate no anchor vouches for is named ({@link CaTls}), not a network error.
 */
final class TrustingAcmeProvider extends GenericAcmeProvider {
    private final SSLContext ssl;

    private TrustingAcmeProvider(SSLContext ssl) { this.ssl = ssl; }

    static GenericAcmeProvider forTrust(Path trustPem) throws IOException {
        return new TrustingAcmeProvider(CaTls.sslContext(Optional.ofNullable(trustPem)));
    }

    /** TLS with the JDK's trust anchors plus those of {@code trustPem}, naming an untrusted CA certificate. */
    static SSLContext sslContext(Path trustPem) throws IOException {
        return CaTls.sslContext(Optional.of(trustPem));
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector()).sslContext(ssl).build();
    }
}

package dev.certops.acme;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            int i = 0;
            for (var tm : defaults.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) ks.setCertificateEntry("default-" + i++, c);
                }
            }
            byte[] pem = Files.readAllBytes(trustPem);
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                ks.setCertificateEntry("extra-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new IOException("trust: " + trustPem + " cannot be read: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException("trust: " + trustPem + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector()).sslContext(ssl).build();
    }
}

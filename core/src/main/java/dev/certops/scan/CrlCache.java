package dev.certops.scan;

import dev.certops.words.Causes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Revocation by CRL, the way Let's Encrypt publishes it now that OCSP is gone: the leaf's CRL
 * distribution point (HTTP) is fetched, its signature checked with the issuer's key, and kept until
 * its nextUpdate (a CRL without one is fetched again at the next scan). Thread-safe; one per
 * estate service, so the console's repeated scans reuse what is still current.
 */
public final class CrlCache {
    /** What a client would conclude about one certificate. */
    public sealed interface Answer {
        /** Listed on the CRL at {@code url}. */
        record Revoked(String url) implements Answer { }
        /** Not listed (or no CRL distribution point at all). */
        record NotRevoked() implements Answer { }
        /** The CRL could not be fetched, read or verified: revocation unknown — a warning, never a pass. */
        record Unknown(String url, String why) implements Answer { }
    }

    private HttpClient http;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, X509CRL> cached = new ConcurrentHashMap<>();

    public CrlCache(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * The HTTP client, made when the first CRL is fetched: a scan of certificates without a distribution point
     * never makes one (building it sets up the JDK's default TLS context and starts its selector thread).
     */
    private synchronized HttpClient http() {
        if (http == null) http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        return http;
    }

    /** Checks {@code leaf} against its CRL; {@code issuer} (empty when not served) verifies the CRL's signature. */
    public Answer check(X509Certificate leaf, Optional<X509Certificate> issuer) {
        List<String> urls = distributionPoints(leaf);
        if (urls.isEmpty()) return new Answer.NotRevoked();
        String url = urls.get(0);
        X509CRL crl;
        try {
            crl = current(url);
        } catch (IOException e) {
            return new Answer.Unknown(url, e.getMessage());
        }
        if (issuer.isEmpty()) return new Answer.Unknown(url, "the issuer that signs the CRL is not served, so its signature cannot be checked");
        try {
            crl.verify(issuer.get().getPublicKey());
        } catch (Exception e) {
            cached.remove(url);
            return new Answer.Unknown(url, "its signature does not verify with the key of '" + issuer.get().getSubjectX500Principal().getName() + "'");
        }
        return crl.isRevoked(leaf) ? new Answer.Revoked(url) : new Answer.NotRevoked();
    }

    private X509CRL current(String url) throws IOException {
        X509CRL c = cached.get(url);
        if (c != null && c.getNextUpdate() != null && clock.instant().isBefore(c.getNextUpdate().toInstant())) return c;
        X509CRL fresh = fetch(url);
        cached.put(url, fresh);
        return fresh;
    }

    private X509CRL fetch(String url) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = http().send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("it cannot be fetched (" + Causes.of(e) + ")", e);
        }
        if (r.statusCode() != 200) throw new IOException("the server answered HTTP " + r.statusCode());
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(r.body()));
        } catch (CRLException | CertificateException e) {
            throw new IOException("what it serves is not a CRL (" + e.getMessage() + ")", e);
        }
    }

    /** The HTTP(S) URLs of the certificate's CRL distribution points. */
    static List<String> distributionPoints(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) return List.of();
        List<String> out = new ArrayList<>();
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (DistributionPoint dp : points.getDistributionPoints()) {
                DistributionPointName name = dp.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME) continue;
                for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (g.getTagNo() != GeneralName.uniformResourceIdentifier) continue;
                    String u = g.getName().toString();
                    if (u.startsWith("http://") || u.startsWith("https://")) out.add(u);
                }
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return out;
    }
}

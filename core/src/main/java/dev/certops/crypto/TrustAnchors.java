package dev.certops.crypto;

import dev.certops.startup.OncePerProcess;
import dev.certops.words.Causes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a {@code trust:} file in certops.yaml means, everywhere it appears (a CA, an SMTP relay):
 * Java's trust store <em>plus</em> the CA certificates of that PEM file. Without a file, Java's
 * trust store alone.
 */
public final class TrustAnchors {
    /** Java's trust store, read once per process by the first that asks (a head start's thread, or the command's). */
    private static final OncePerProcess<List<X509Certificate>> JAVA_ROOTS =
            new OncePerProcess<>("Java's trust store", () -> List.of(trustManager(null).getAcceptedIssuers()));

    private TrustAnchors() { }

    /** Java's trust anchors, read once per process (here, unless read or being read already). */
    public static List<X509Certificate> javaRoots() { return JAVA_ROOTS.get(); }

    /**
     * Java's trust anchors plus the certificates of {@code pem}. The messages complete "trust: FILE
     * cannot be used: ..." — it cannot be read, it holds no certificate, it is not PEM.
     */
    public static KeyStore keyStore(Path pem) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pem);
        } catch (IOException e) {
            throw new IOException("it cannot be read (" + Causes.of(e) + ")", e);
        }
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            if (certs.isEmpty()) throw new IOException("it holds no certificate");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : javaRoots()) ks.setCertificateEntry("default-" + i++, c);
            for (Certificate c : certs) ks.setCertificateEntry("trust-" + i++, c);
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException("it is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** The trust manager over {@code anchors} (null: Java's trust store). */
    public static X509ExtendedTrustManager trustManager(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) return x;
        }
        throw new GeneralSecurityException("no X.509 trust manager in this Java");
    }

    /**
     * TLS trusting Java's trust store plus {@code pem}'s certificates (or Java's alone without a file).
     *
     * @throws IOException "trust: FILE cannot be used: it cannot be read" (holds no certificate, is not PEM)
     */
    public static SSLContext sslContext(Optional<Path> pem) throws IOException {
        try {
            if (pem.isEmpty()) return SSLContext.getDefault();
            KeyStore anchors;
            try {
                anchors = keyStore(pem.get());
            } catch (IOException e) {
                throw new IOException("trust: " + pem.get() + " cannot be used: " + e.getMessage(), e);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustManager(anchors)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS cannot be set up: " + e.getMessage(), e);
        }
    }
}

package dev.certops.crypto;

import dev.certops.startup.OncePerProcess;
import dev.certops.words.Causes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a {@code trust:} file in certops.yaml means, everywhere it appears (a CA, an SMTP relay):
 * Java's trust store <em>plus</em> the CA certificates of that PEM file. Without a file, Java's
 * trust store alone.
 */
public final class TrustAnchors {
    /** Java's trust store as a trust manager, read once per process by the first that asks. */
    private static final OncePerProcess<X509ExtendedTrustManager> JAVA_TRUST =
            new OncePerProcess<>("Java's trust store", () -> trustManager((KeyStore) null));
    /** Java's trust anchors, from the same single read. */
    private static final OncePerProcess<List<X509Certificate>> JAVA_ROOTS =
            new OncePerProcess<>("Java's trust anchors", () -> List.of(JAVA_TRUST.get().getAcceptedIssuers()));

    private TrustAnchors() { }

    /** Java's trust store as a trust manager, read once per process (here, unless read or being read already). */
    public static X509ExtendedTrustManager javaTrust() { return JAVA_TRUST.get(); }

    /** Java's trust anchors, read once per process (here, unless read or being read already). */
    public static List<X509Certificate> javaRoots() { return JAVA_ROOTS.get(); }

    /**
     * Java's trust anchors plus the certificates of {@code pem}. The messages complete "trust: FILE
     * cannot be used: ..." — it cannot be read, it holds no certificate, it is not PEM.
     */
    public static KeyStore keyStore(Path pem) throws IOException {
        return keyStore(pem, true);
    }

    /**
     * What a {@code trust:} file means, as one trust manager: a chain is trusted when it leads to one of {@code pem}'s
     * certificates or to one of Java's anchors — the same verdict as one store holding both, as a chain ends at one
     * anchor — but Java's ~140 anchors are read only when a chain does not lead to the file's (a private CA's chain
     * never needs them; parsing them cost an issuance ~0.07–0.12 s of CPU). Messages as {@link #keyStore(Path)}.
     */
    public static X509ExtendedTrustManager trustManager(Path pem) throws IOException, GeneralSecurityException {
        return new FileThenJava(trustManager(keyStore(pem, false)));
    }

    private static KeyStore keyStore(Path pem, boolean withJavaRoots) throws IOException {
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
            if (withJavaRoots) for (X509Certificate c : javaRoots()) ks.setCertificateEntry("default-" + i++, c);
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
            X509ExtendedTrustManager tm;
            try {
                tm = trustManager(pem.get());
            } catch (IOException e) {
                throw new IOException("trust: " + pem.get() + " cannot be used: " + e.getMessage(), e);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS cannot be set up: " + e.getMessage(), e);
        }
    }

    /** The file's anchors first; Java's, read once per process, only for a chain the file's do not vouch for. */
    private static final class FileThenJava extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager file;

        FileThenJava(X509ExtendedTrustManager file) { this.file = file; }

        private interface Check {
            void on(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void either(Check check) throws CertificateException {
            try {
                check.on(file);
            } catch (CertificateException notTheFiles) {
                try {
                    check.on(JAVA_TRUST.get());
                } catch (CertificateException notJavas) {
                    notJavas.addSuppressed(notTheFiles);
                    throw notJavas;
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(file.getAcceptedIssuers()));
            all.addAll(javaRoots());
            return all.toArray(X509Certificate[]::new);
        }
    }
}

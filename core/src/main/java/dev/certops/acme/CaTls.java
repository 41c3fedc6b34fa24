package dev.certops.acme;

import dev.certops.crypto.ForwardingTrustManager;
import dev.certops.crypto.ServerIdentity;
import dev.certops.crypto.TrustAnchors;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS to a CA that names an untrusted CA certificate instead of failing as "network error": the
 * trust manager (Java's trust store plus the CA entry's {@code trust:} file) is wrapped so that a
 * chain no anchor vouches for fails with {@link Untrusted}, which carries the issuer of the
 * certificate the CA presented. A host name mismatch stays what it is: the name is checked by {@link ServerIdentity}
 * (the JDK's own check would first read Java's whole trust store).
 */
final class CaTls {
    /** How the message of an untrusted CA certificate begins. */
    static final String UNTRUSTED = "the CA's TLS certificate is issued by ";

    private CaTls() { }

    /** How the message of a CA certificate for another name begins. */
    static final String WRONG_NAME = "the CA's TLS certificate is not for ";

    /** The CA's certificate chain leads to no trusted anchor. */
    static final class Untrusted extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final String issuer;

        Untrusted(String issuer, Throwable cause) {
            super(UNTRUSTED + issuer + ", which is not trusted", cause);
            this.issuer = issuer;
        }

        String issuer() { return issuer; }
    }

    /** TLS trusting Java's trust store plus {@code trust}'s certificates, naming an untrusted issuer. */
    static SSLContext sslContext(Optional<Path> trust) throws IOException {
        try {
            X509ExtendedTrustManager tm = ServerIdentity.checkedHere(trust.isPresent() ? trustManager(trust.get()) : TrustAnchors.javaTrust());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Naming(tm)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS cannot be set up in this Java: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager trustManager(Path pem) throws IOException, GeneralSecurityException {
        try {
            return TrustAnchors.trustManager(pem);
        } catch (IOException e) {
            throw new IOException("trust: " + pem + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * The sentence for an operator when {@code e} (or a cause) is a CA certificate no anchor trusts:
     * "the CA's TLS certificate is issued by X, which is not trusted: add it with trust: FILE".
     */
    static Optional<String> untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Untrusted u) {
                return Optional.of(u.getMessage() + ": add it with trust: FILE (a PEM file holding that CA certificate) to this CA's entry in certops.yaml");
            }
        }
        return Optional.empty();
    }

    /**
     * The sentence for an operator when {@code e} (or a cause) is a trusted CA certificate for another name than the
     * directory URL's: "the CA's TLS certificate is not for H (it is for A, B): use one of its names in this CA's
     * directory URL in certops.yaml".
     */
    static Optional<String> wrongName(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ServerIdentity.NotFor n) {
                return Optional.of(WRONG_NAME + n.host() + " (" + n.isFor() + "): use a name it is for in this CA's directory URL in certops.yaml,"
                        + " or have the CA's operator serve a certificate that names " + n.host());
            }
        }
        return Optional.empty();
    }

    /** What certops.yaml's CA entry must change for TLS to the CA to work ({@link #untrusted}, {@link #wrongName}). */
    static Optional<String> misconfigured(Throwable e) {
        return untrusted(e).or(() -> wrongName(e));
    }

    /** Delegates; a failed chain is re-checked without the host name to tell "untrusted" from "wrong name". */
    private static final class Naming extends ForwardingTrustManager {
        Naming(X509ExtendedTrustManager d) { super(d); }

        private CertificateException named(X509Certificate[] chain, String authType, CertificateException e) {
            try {
                delegate.checkServerTrusted(chain, authType); // the chain alone, no host name
                return e; // the chain is trusted: the name or usage was wrong, keep that message
            } catch (CertificateException chainFails) {
                X509Certificate top = chain[chain.length - 1];
                return new Untrusted(top.getIssuerX500Principal().getName(), e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw named(chain, authType, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw named(chain, authType, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw named(chain, authType, e);
            }
        }
    }
}

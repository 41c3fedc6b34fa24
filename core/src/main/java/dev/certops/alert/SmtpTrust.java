package dev.certops.alert;

import dev.certops.crypto.TrustAnchors;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What the email channel trusts for the SMTP server's certificate during STARTTLS: Java's trust
 * store, plus the CA certificates of the channel's {@code trust:} file (the same meaning as a CA
 * entry's {@code trust:}). Each attempt gets its own socket factory that remembers the certificate
 * the server presented and why it was refused, so a failure can say which CA to add.
 */
final class SmtpTrust {
    private final Optional<Path> file;
    private final X509ExtendedTrustManager trust;

    private SmtpTrust(Optional<Path> file, X509ExtendedTrustManager trust) {
        this.file = file;
        this.trust = trust;
    }

    static SmtpTrust load(Optional<Path> file) throws IOException {
        try {
            return new SmtpTrust(file, file.isPresent() ? TrustAnchors.trustManager(file.get()) : TrustAnchors.javaTrust());
        } catch (GeneralSecurityException e) {
            throw new IOException("it is not usable for TLS: " + e.getMessage(), e);
        }
    }

    Optional<Path> file() { return file; }

    Attempt attempt() throws IOException {
        return new Attempt();
    }

    /** What one connection's certificate check saw. */
    enum Refusal { NONE, UNTRUSTED, OTHER_NAME }

    /** One delivery attempt's TLS: the socket factory for Jakarta Mail, and what the check saw. */
    final class Attempt extends X509ExtendedTrustManager {
        private final SSLSocketFactory factory;
        private volatile X509Certificate presented;
        private volatile Refusal refusal = Refusal.NONE;

        private Attempt() throws IOException {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {this}, null);
                this.factory = ctx.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IOException("TLS is not available in this Java: " + e.getMessage(), e);
            }
        }

        SSLSocketFactory socketFactory() { return factory; }
        Refusal refusal() { return refusal; }
        Optional<X509Certificate> presented() { return Optional.ofNullable(presented); }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain, authType, () -> trust.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, authType, () -> trust.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, () -> trust.checkServerTrusted(chain, authType));
        }

        /** On a refusal, a check without the host-name part tells an unknown CA from a certificate for another name. */
        private void check(X509Certificate[] chain, String authType, Check full) throws CertificateException {
            if (chain != null && chain.length > 0) presented = chain[0];
            try {
                full.run();
            } catch (CertificateException e) {
                try {
                    trust.checkServerTrusted(chain, authType);
                    refusal = Refusal.OTHER_NAME;
                } catch (CertificateException | RuntimeException path) {
                    refusal = Refusal.UNTRUSTED;
                }
                throw e;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("certops does not accept TLS clients here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("certops does not accept TLS clients here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("certops does not accept TLS clients here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() { return trust.getAcceptedIssuers(); }
    }

    private interface Check {
        void run() throws CertificateException;
    }

    /** The DNS names and IP addresses a certificate is for (its subjectAltName), for messages. */
    static List<String> names(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            var sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) out.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            // no readable names: the subject is shown instead
        }
        if (out.isEmpty()) out.add(c.getSubjectX500Principal().getName());
        return out;
    }
}

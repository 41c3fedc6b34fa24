package dev.certops.scan;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The probe's trust manager. It decides nothing about trust: every chain is accepted so that it can
 * be read and judged by the estate (expired, self-signed, wrongly named, weak algorithms included).
 * In chain-only mode it hands the chain back by abandoning the handshake with {@link Captured};
 * otherwise it lets the handshake complete. Extends {@link X509ExtendedTrustManager} so that the JDK adds no checks of its own.
 * Used only by {@link TlsProbe}, whose connections never carry data.
 */
final class ChainCapture extends X509ExtendedTrustManager {
    private final boolean abandon;

    ChainCapture(boolean abandon) { this.abandon = abandon; }

    /** Not a failure: the chain, carried out of the handshake. */
    static final class Captured extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final transient List<X509Certificate> chain;
        private final String protocol;

        Captured(List<X509Certificate> chain, String protocol) {
            super("chain read; handshake abandoned on purpose", null);
            this.chain = chain;
            this.protocol = protocol;
        }

        List<X509Certificate> chain() { return chain; }
        String protocol() { return protocol; }

        @Override public synchronized Throwable fillInStackTrace() { return this; }
    }

    static Optional<Captured> find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Captured cap) return Optional.of(cap);
        }
        return Optional.empty();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (abandon) {
            SSLSession hs = socket instanceof SSLSocket s ? s.getHandshakeSession() : null;
            throw new Captured(List.of(chain), hs == null ? "" : hs.getProtocol());
        }
    }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { /* judged by the estate */ }
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (abandon) {
            SSLSession hs = engine == null ? null : engine.getHandshakeSession();
            throw new Captured(List.of(chain), hs == null ? "" : hs.getProtocol());
        }
    }
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { /* not a server */ }
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { /* not a server */ }
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { /* not a server */ }
    @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
}

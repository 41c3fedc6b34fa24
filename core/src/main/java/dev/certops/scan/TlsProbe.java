package dev.certops.scan;

import dev.certops.config.Endpoint;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the chain an endpoint serves: one TLS handshake with the right SNI, connect and
 * handshake timeouts. Trust is deliberately not decided here — an expired, self-signed or
 * wrongly-named certificate is still read and reported; the estate judges it afterwards. No
 * application data is ever sent over these connections.
 */
public final class TlsProbe {
    private final SSLSocketFactory factory;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;

    public TlsProbe(Duration connectTimeout, Duration handshakeTimeout) {
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new ReadOnlyTrustManager()}, new SecureRandom());
            this.factory = ctx.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException("TLS is not available in this Java runtime", e);
        }
    }

    public static TlsProbe withDefaults() {
        return new TlsProbe(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    /** Connects, handshakes and returns what was served; never throws for trust problems. */
    public ServedChain fetch(Endpoint endpoint) throws ProbeException {
        long start = System.nanoTime();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) connectTimeout.toMillis());
            raw.setSoTimeout((int) handshakeTimeout.toMillis());
            try (SSLSocket s = (SSLSocket) factory.createSocket(raw, endpoint.sni(), endpoint.port(), true)) {
                SSLParameters params = s.getSSLParameters();
                if (!isIpLiteral(endpoint.sni())) params.setServerNames(List.of(new SNIHostName(endpoint.sni())));
                s.setSSLParameters(params);
                s.startHandshake();
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : s.getSession().getPeerCertificates()) chain.add((X509Certificate) c);
                return new ServedChain(endpoint, List.copyOf(chain), s.getSession().getProtocol(),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (ConnectException e) {
            throw new ProbeException(endpoint, ProbeException.Reason.REFUSED, "connection refused — is the server running and listening on this port?");
        } catch (SocketTimeoutException e) {
            boolean connected = e.getMessage() != null && e.getMessage().toLowerCase().contains("read");
            throw new ProbeException(endpoint, ProbeException.Reason.TIMEOUT, connected
                    ? "no TLS answer within " + handshakeTimeout.toMillis() + " ms — something listens but does not speak TLS"
                    : "no connection within " + connectTimeout.toMillis() + " ms — host down or filtered");
        } catch (UnknownHostException e) {
            throw new ProbeException(endpoint, ProbeException.Reason.DNS, "the name does not resolve — check DNS for " + endpoint.host());
        } catch (NoRouteToHostException e) {
            throw new ProbeException(endpoint, ProbeException.Reason.REFUSED, "no route to host");
        } catch (InterruptedIOException e) {
            throw new ProbeException(endpoint, ProbeException.Reason.TIMEOUT, "timed out: " + e.getMessage());
        } catch (SSLException e) {
            throw new ProbeException(endpoint, ProbeException.Reason.HANDSHAKE, "TLS handshake failed: " + e.getMessage());
        } catch (IOException e) {
            throw new ProbeException(endpoint, ProbeException.Reason.HANDSHAKE, "connection failed: " + e.getMessage());
        }
    }

    static boolean isIpLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":");
    }

    /** Accepts every chain so that it can be read and judged; used only for reading, never for data. */
    private static final class ReadOnlyTrustManager implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { /* not a server */ }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { /* judged by the estate */ }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}

package dev.certops.scan;

import dev.certops.config.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Reads the certificate of a server that speaks only TLS 1.0 or 1.1 — which Java 17 refuses
 * ({@code jdk.tls.disabledAlgorithms}) and so do current browsers. Bouncy Castle's low-level TLS
 * client, in this probe only (no JVM-wide setting is loosened): it offers TLS 1.1 and 1.0 with the
 * CBC suites such servers have, and abandons the handshake once the server's Certificate message
 * (sent in clear) has been read. The estate reports the result as rejected: clients refuse it.
 */
final class LegacyProbe {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int[] SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
    };

    private LegacyProbe() { }

    /** The chain and the protocol ("TLSv1" / "TLSv1.1") the server chose; empty when it does not speak those either. */
    static Optional<ServedChain> read(Endpoint endpoint, Duration connectTimeout, Duration handshakeTimeout) {
        long start = System.nanoTime();
        Reader reader = new Reader(endpoint);
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) connectTimeout.toMillis());
            raw.setSoTimeout((int) handshakeTimeout.toMillis());
            StartTls.upgrade(raw, endpoint);
            new TlsClientProtocol(raw.getInputStream(), raw.getOutputStream()).connect(reader.client());
        } catch (IOException | RuntimeException e) {
            // abandoned on purpose once the chain is read; anything else: this server does not speak TLS 1.0/1.1 either
        }
        return reader.chain().map(chain -> new ServedChain(endpoint, chain, reader.protocol(), Duration.ofNanos(System.nanoTime() - start)));
    }

    /**
     * One legacy handshake's client: offers TLS 1.1 and 1.0, records the chain the server sends and
     * abandons the handshake there (an exception out of the protocol). Used blocking ({@link #read})
     * and by the batch probe's non-blocking connections ({@link TlsClientProtocol}'s offerInput / readOutput).
     */
    static final class Reader {
        private final Endpoint endpoint;
        private final List<X509Certificate> chain = new ArrayList<>();
        private volatile String protocol = "";

        Reader(Endpoint endpoint) { this.endpoint = endpoint; }

        /** The served chain, once the server's Certificate message has been read. */
        Optional<List<X509Certificate>> chain() { return chain.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(chain)); }

        String protocol() { return protocol; }

        DefaultTlsClient client() {
            return new DefaultTlsClient(new BcTlsCrypto(RANDOM)) {
                @Override protected ProtocolVersion[] getSupportedVersions() { return ProtocolVersion.TLSv11.downTo(ProtocolVersion.TLSv10); }

                @Override protected int[] getSupportedCipherSuites() { return SUITES.clone(); }

                @Override protected Vector<ServerName> getSNIServerNames() {
                    if (TlsProbe.isIpLiteral(endpoint.sni())) return null;
                    Vector<ServerName> v = new Vector<>();
                    v.add(new ServerName(NameType.host_name, endpoint.sni().getBytes(StandardCharsets.US_ASCII)));
                    return v;
                }

                @Override public TlsAuthentication getAuthentication() {
                    return new TlsAuthentication() {
                        @Override public void notifyServerCertificate(TlsServerCertificate served) throws IOException {
                            protocol = ProtocolVersion.TLSv10.equals(context.getServerVersion()) ? "TLSv1" : "TLSv1.1";
                            var certs = served.getCertificate();
                            for (int i = 0; i < certs.getLength(); i++) chain.add(x509(certs.getCertificateAt(i).getEncoded()));
                            throw new IOException("chain read; handshake abandoned on purpose");
                        }

                        @Override public TlsCredentials getClientCredentials(CertificateRequest request) { return null; }
                    };
                }
            };
        }
    }

    private static X509Certificate x509(byte[] der) throws IOException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IOException("the server's certificate cannot be read: " + e.getMessage(), e);
        }
    }
}

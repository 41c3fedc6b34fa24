package dev.certops.alert;

import dev.certops.crypto.PemReader;
import dev.certops.testing.TestTls;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * A real SMTP relay (SubEtha SMTP) on a free loopback port that offers STARTTLS with the given
 * certificate, requires it before MAIL and before AUTH (like a company's submission server), and
 * records each message with the TLS protocol of the session it came in on.
 */
final class StartTlsRelay implements AutoCloseable {
    /** One received message: envelope, raw RFC 5322 text, and the session's TLS protocol ("plain" if none). */
    record Received(String from, String to, String data, String tls) { }

    private final SMTPServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    StartTlsRelay(TestTls tls, String user, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        List<? extends Certificate> chain = List.of(PemReader.readCertificates(tls.certPem()).get(0), PemReader.readCertificates(tls.caPem()).get(0));
        ks.setKeyEntry("relay", PemReader.readPrivateKey(tls.keyPem(), Optional.empty()), new char[0], chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("relay.test")
                .startTlsSocketFactory(ctx)
                .requireTLS()
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((u, p, ctx2) -> {
                    if (!u.equals(user) || !p.equals(password)) throw new org.subethamail.smtp.auth.LoginFailedException();
                }))
                .messageHandler((context, from, to, data) -> received.add(new Received(from, to, new String(data, StandardCharsets.UTF_8),
                        ((Session) context).getSocket() instanceof SSLSocket s ? s.getSession().getProtocol() : "plain")))
                .build();
        server.start();
    }

    int port() { return server.getPortAllocated(); }

    /** The next message, waiting up to {@code seconds}; empty if none came. */
    Optional<Received> next(int seconds) throws InterruptedException {
        return Optional.ofNullable(received.poll(seconds, TimeUnit.SECONDS));
    }

    /** Messages already received and not taken. */
    int pending() { return received.size(); }

    @Override
    public void close() { server.stop(); }
}

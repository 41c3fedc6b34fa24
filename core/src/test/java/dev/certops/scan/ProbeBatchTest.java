package dev.certops.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch probe ({@link TlsProbe#fetchAll}) against a real nginx, JDK TLS servers and servers that
 * accept and never speak: the same chains as one probe at a time, and silent endpoints that cost
 * their deadline once, however many there are.
 */
class ProbeBatchTest {
    /** Generous: these tests are about what is read, not about time, on a shared and busy machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration SHORT = Duration.ofMillis(800);
    static final CertificateBuilder.Issued CA = CertificateBuilder.ca("Batch Test CA").build();
    static final CertificateBuilder.Issued LEAF = CertificateBuilder.leaf("batch.example.test").signedBy(CA).build();
    @TempDir static Path dir;
    static NginxFixture nginx;
    static int nginxPort;
    /** Three servers that accept and never say a word, on 127.0.0.1, .2 and .3. */
    static final List<ServerSocket> silent = new ArrayList<>();
    static final List<Socket> held = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void servers() throws Exception {
        Files.writeString(dir.resolve("fullchain.pem"), PemWriter.certificates(List.of(LEAF.certificate(), CA.certificate())));
        Files.writeString(dir.resolve("privkey.pem"), PemWriter.privateKey(LEAF.keys().getPrivate(), Optional.empty()));
        nginxPort = FreePort.tcp();
        nginx = NginxFixture.in(dir.resolve("nginx")).workers(2).addServer("batch.example.test", nginxPort, dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"));
        nginx.start();
        for (int i = 1; i <= 3; i++) {
            ServerSocket s = new ServerSocket(0, 1000, InetAddress.getByName("127.0.0." + i));
            silent.add(s);
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(s.accept()); // accepts and never says a word
                } catch (Exception closed) {
                    // the test is over
                }
            }, "silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        nginx.close();
        for (ServerSocket s : silent) s.close();
        synchronized (held) {
            for (Socket s : held) s.close();
        }
    }

    private static Endpoint at(int port, String sni) { return new Endpoint("127.0.0.1", port, sni); }

    @Test
    void aBatchReadsTheSameChainsAsOneProbeAtATimeInBothModes() throws Exception {
        try (var jdk = new InProcessTlsServer(List.of(LEAF), CA)) {
            List<Endpoint> eps = List.of(at(nginxPort, "batch.example.test"), at(jdk.port(), "batch.example.test"));
            for (TlsProbe.Mode mode : TlsProbe.Mode.values()) {
                TlsProbe probe = new TlsProbe(TIMEOUT, TIMEOUT, mode);
                Map<Endpoint, CompletableFuture<ServedChain>> batch = probe.fetchAll(eps);
                for (Endpoint e : eps) {
                    ServedChain served = TlsProbe.await(batch.get(e));
                    assertThat(served.chain()).as(mode + " " + e).containsExactlyElementsOf(probe.fetch(e).chain())
                            .containsExactly(LEAF.certificate(), CA.certificate());
                    assertThat(served.protocol()).isEqualTo(probe.fetch(e).protocol());
                }
            }
        }
    }

    @Test
    void aBatchFallsBackToTls13ForAServerThatRefusesTls12() throws Exception {
        try (var jdk = new InProcessTlsServer(List.of(LEAF), CA, "TLSv1.3")) {
            TlsProbe probe = new TlsProbe(TIMEOUT, TIMEOUT, TlsProbe.Mode.CHAIN_ONLY);
            Endpoint e = at(jdk.port(), "batch.example.test");
            assertThat(TlsProbe.await(probe.fetchAll(List.of(e)).get(e)).protocol()).isEqualTo("TLSv1.3");
            assertThat(TlsProbe.await(probe.fetchAll(List.of(e)).get(e)).protocol()).as("remembered").isEqualTo("TLSv1.3");
        }
    }

    @Test
    void refusedUnresolvableAndSilentEndpointsEachSayWhy() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Endpoint refused = at(closed, "batch.example.test");
        Endpoint unknown = new Endpoint("no-such-host.invalid", 443, "no-such-host.invalid");
        Endpoint mute = at(silent.get(0).getLocalPort(), "mute.example.test");
        var batch = new TlsProbe(SHORT, SHORT, TlsProbe.Mode.CHAIN_ONLY).fetchAll(List.of(refused, unknown, mute));
        assertThatThrownBy(() -> TlsProbe.await(batch.get(refused)))
                .isInstanceOfSatisfying(ProbeException.class, e -> assertThat(e.reason()).isEqualTo(ProbeException.Reason.REFUSED));
        assertThatThrownBy(() -> TlsProbe.await(batch.get(unknown)))
                .isInstanceOfSatisfying(ProbeException.class, e -> assertThat(e.reason()).isEqualTo(ProbeException.Reason.DNS));
        assertThatThrownBy(() -> TlsProbe.await(batch.get(mute)))
                .isInstanceOfSatisfying(ProbeException.class, e -> assertThat(e).hasMessageContaining("TLS handshake not finished within 800 ms")
                        .extracting(ProbeException::reason).isEqualTo(ProbeException.Reason.TIMEOUT));
    }

    @Test
    void threeHundredSilentEndpointsAmongAThousandCostOneDeadlineNotThreeHundred() throws Exception {
        Duration deadline = Duration.ofSeconds(5); // estate scan's default
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ServerSocket mute = silent.get(i % 3);
            eps.add(i % 10 < 3 ? new Endpoint(mute.getInetAddress().getHostAddress(), mute.getLocalPort(), "silent-" + i + ".example.test")
                    : at(nginxPort, "live-" + i + ".example.test"));
        }
        TlsProbe probe = new TlsProbe(deadline, deadline, TlsProbe.Mode.CHAIN_ONLY);
        long l0 = System.nanoTime();
        var liveOnly = probe.fetchAll(eps.stream().filter(e -> e.sni().startsWith("live-")).toList());
        for (var f : liveOnly.values()) TlsProbe.await(f);
        Duration live = Duration.ofNanos(System.nanoTime() - l0);
        long t0 = System.nanoTime();
        var batch = probe.fetchAll(eps);
        int read = 0;
        int timedOut = 0;
        for (Endpoint e : eps) {
            try {
                assertThat(TlsProbe.await(batch.get(e)).leaf()).isEqualTo(LEAF.certificate());
                read++;
            } catch (ProbeException ex) {
                assertThat(ex.reason()).as(e + ": " + ex.getMessage()).isEqualTo(ProbeException.Reason.TIMEOUT);
                assertThat(e.sni()).as(ex.getMessage()).startsWith("silent-");
                timedOut++;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf("ProbeBatchTest: 1,000 endpoints (300 silent, %d ms deadline) in %d ms; the 700 live ones alone: %d ms%n",
                deadline.toMillis(), took.toMillis(), live.toMillis());
        assertThat(read).isEqualTo(700);
        assertThat(timedOut).isEqualTo(300);
        // one worker per silent socket (the old design: 64 at a time) would take 300 / 64 x 5 s = 25 s. The silent ones add
        // one deadline to what the live ones take (~0.5 s on a quiet machine; more when six builds share two cores)
        assertThat(took).isLessThan(deadline.plusSeconds(2).plus(live));
    }

    @Test
    void aStartTlsOpeningIsSpokenBeforeTheHandshake() throws Exception {
        SSLContext server = serverContext();
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = plain.accept()) {
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    out.write("* OK ready\r\n".getBytes(StandardCharsets.US_ASCII));
                    if (!in.readLine().equals("a STARTTLS")) return;
                    out.write("a OK begin TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                    try (SSLSocket tls = (SSLSocket) server.getSocketFactory().createSocket(s, null, s.getPort(), false)) {
                        tls.setUseClientMode(false);
                        tls.startHandshake();
                        tls.getInputStream().read();
                    }
                } catch (Exception done) {
                    // the probe abandons the handshake
                }
            });
            t.setDaemon(true);
            t.start();
            TlsProbe.Openings imapLike = e -> Optional.of(Opening.lines("", line -> line.startsWith("* OK") ? new Opening.Reply.Send("a STARTTLS\r\n")
                    : line.startsWith("a OK") ? new Opening.Reply.StartTls() : new Opening.Reply.Refuse(line)));
            TlsProbe probe = new TlsProbe(TIMEOUT, TIMEOUT, TlsProbe.Mode.CHAIN_ONLY, imapLike, 8);
            Endpoint e = at(plain.getLocalPort(), "batch.example.test");
            assertThat(TlsProbe.await(probe.fetchAll(List.of(e)).get(e)).leaf()).isEqualTo(LEAF.certificate());
        }
    }

    private static SSLContext serverContext() throws Exception {
        var ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("leaf", LEAF.keys().getPrivate(), "pw".toCharArray(), new X509Certificate[] {LEAF.certificate(), CA.certificate()});
        var kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}

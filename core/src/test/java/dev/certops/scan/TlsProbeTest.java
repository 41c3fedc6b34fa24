package dev.certops.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateBuilder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The probe against real TLS servers in this JVM: modes, TLS 1.3 fallback, deadline, no resumption. */
class TlsProbeTest {
    static final Duration TIMEOUT = Duration.ofMillis(800);
    static final CertificateBuilder.Issued CA = CertificateBuilder.ca("Probe Test CA").build();
    static final CertificateBuilder.Issued FIRST = CertificateBuilder.leaf("probe.example.test").signedBy(CA).build();
    static final CertificateBuilder.Issued SECOND = CertificateBuilder.leaf("probe.example.test").signedBy(CA).build();

    private static Endpoint at(int port) { return new Endpoint("127.0.0.1", port, "probe.example.test"); }

    @Test
    void chainOnlyReadsTheSameChainAsAFullHandshake() throws Exception {
        try (var server = new InProcessTlsServer(List.of(FIRST), CA)) {
            ServedChain full = new TlsProbe(TIMEOUT, TIMEOUT).fetch(at(server.port()));
            ServedChain chainOnly = new TlsProbe(TIMEOUT, TIMEOUT, TlsProbe.Mode.CHAIN_ONLY).fetch(at(server.port()));
            assertThat(chainOnly.chain()).containsExactlyElementsOf(full.chain()).containsExactly(FIRST.certificate(), CA.certificate());
            assertThat(chainOnly.protocol()).isEqualTo("TLSv1.2");
            assertThat(full.protocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void chainOnlyFallsBackToTls13WhenTheServerRefusesTls12() throws Exception {
        try (var server = new InProcessTlsServer(List.of(FIRST), CA, "TLSv1.3")) {
            TlsProbe probe = new TlsProbe(TIMEOUT, TIMEOUT, TlsProbe.Mode.CHAIN_ONLY);
            ServedChain served = probe.fetch(at(server.port()));
            assertThat(served.leaf()).isEqualTo(FIRST.certificate());
            assertThat(served.protocol()).isEqualTo("TLSv1.3");
            assertThat(probe.fetch(at(server.port())).protocol()).as("remembered for the next scan").isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aReloadedCertificateIsSeenByTheNextProbeBecauseSessionsAreNeverResumed() throws Exception {
        try (var server = new InProcessTlsServer(List.of(FIRST, SECOND), CA)) {
            TlsProbe probe = new TlsProbe(TIMEOUT, TIMEOUT);
            assertThat(probe.fetch(at(server.port())).leaf()).isEqualTo(FIRST.certificate());
            server.serve(1);
            assertThat(probe.fetch(at(server.port())).leaf()).isEqualTo(SECOND.certificate());
        }
    }

    @Test
    void aServerThatTricklesBytesIsCutOffAtTheHandshakeDeadline() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        try (ServerSocket trickler = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = trickler.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] header = {0x16, 0x03, 0x03, 0x40, 0x00};
                    for (int i = 0; stop.getCount() > 0; i++) {
                        out.write(i < header.length ? header[i] : 0);
                        out.flush();
                        stop.await(150, TimeUnit.MILLISECONDS); // one byte every 150 ms: never idle long enough for a read timeout
                    }
                } catch (Exception done) {
                    // the probe hung up
                }
            });
            t.setDaemon(true);
            t.start();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> new TlsProbe(TIMEOUT, TIMEOUT).fetch(at(trickler.getLocalPort())))
                    .isInstanceOfSatisfying(ProbeException.class, e -> assertThat(e.reason()).isEqualTo(ProbeException.Reason.TIMEOUT));
            // without the deadline the probe would read the trickle for ~40 minutes; slack for a loaded machine
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.plusSeconds(4));
        } finally {
            stop.countDown();
        }
    }

    @Test
    void aPortWithNothingListeningIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> new TlsProbe(TIMEOUT, TIMEOUT, TlsProbe.Mode.CHAIN_ONLY).fetch(at(port)))
                .isInstanceOfSatisfying(ProbeException.class, e -> assertThat(e.reason()).isEqualTo(ProbeException.Reason.REFUSED));
    }
}

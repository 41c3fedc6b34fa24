package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.session.Session;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real nginx serving a small estate with every kind of trouble, and two endpoints that never answer. */
class EstateScanTest {
    @TempDir static Path dir;
    static NginxFixture nginx;
    static ServerSocket silent;
    static List<Socket> held = new ArrayList<>();
    static Path ws;
    static CertificateBuilder.Issued root = CertificateBuilder.ca("Estate Root").build();
    static CertificateBuilder.Issued inter = CertificateBuilder.ca("Estate Intermediate").signedBy(root).build();
    static Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    static String divergedOldSerial;

    @BeforeAll
    static void estate() throws Exception {
        Instant now = Instant.now();
        nginx = NginxFixture.in(dir.resolve("nginx"));
        serve("valid", "valid.example.test", now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(80)), true, null);
        serve("expiring", "expiring.example.test", now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10)).plusSeconds(600), true, null);
        serve("expired", "expired.example.test", now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(1)), true, null);
        serve("selfsigned", "self.example.test", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(80)), false, null);
        serve("nointer", "nointer.example.test", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(80)), true, "leaf-only");
        serve("wrongname", "other.example.test", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(80)), true, null);
        // divergence: a "deployed" layout certDir/live -> releases/r1, served by nginx, then replaced on disk without a reload
        Path certDir = Files.createDirectories(dir.resolve("diverged-host"));
        Path r1 = Files.createDirectories(certDir.resolve("releases/r1"));
        var first = leaf("diverged.example.test", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(80)));
        divergedOldSerial = first.info().serial();
        writeRelease(r1, first);
        Files.createSymbolicLink(certDir.resolve("live"), Path.of("releases/r1"));
        int port = FreePort.tcp();
        ports.put("diverged", port);
        nginx.addServer("diverged.example.test", port, certDir.resolve("live/fullchain.pem"), certDir.resolve("live/privkey.pem"));
        nginx.start();
        Path r2 = Files.createDirectories(certDir.resolve("releases/r2"));
        writeRelease(r2, leaf("diverged.example.test", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(85))));
        Files.createSymbolicLink(certDir.resolve("live.tmp"), Path.of("releases/r2"));
        Files.move(certDir.resolve("live.tmp"), certDir.resolve("live"), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) held.add(silent.accept());
            } catch (Exception closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        ports.put("dead", FreePort.tcp());
        ports.put("silent", silent.getLocalPort());

        ws = dir.resolve("ws");
        new Workspace(ws).create();
        StringBuilder y = new StringBuilder("hosts:\n  - { id: host1, address: local, certDir: " + certDir + " }\ncertificates:\n");
        for (var e : ports.entrySet()) {
            if (e.getKey().equals("dead") || e.getKey().equals("silent")) continue;
            String name = e.getKey().equals("wrongname") ? "wrongname.example.test" : e.getKey().equals("selfsigned") ? "self.example.test" : e.getKey() + ".example.test";
            y.append("  - { id: ").append(e.getKey()).append(", names: [").append(name).append("], endpoints: [\"127.0.0.1:").append(e.getValue()).append("\"]")
                    .append(e.getKey().equals("diverged") ? ", deploy: { waves: [[host1]] }" : "").append(" }\n");
        }
        y.append("endpoints: [\"127.0.0.1:").append(ports.get("dead")).append("\", \"127.0.0.1:").append(ports.get("silent")).append("\"]\n");
        y.append("thresholds: { warning: 30d, critical: 15d, emergency: 7d }\n");
        Files.writeString(new Workspace(ws).configFile(), y.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        nginx.close();
        silent.close();
        for (Socket s : held) s.close();
    }

    private static CertificateBuilder.Issued leaf(String name, Instant from, Instant to) {
        return CertificateBuilder.leaf(name).validity(from, to).signedBy(inter).build();
    }

    private static void serve(String id, String name, Instant from, Instant to, boolean signed, String variant) throws Exception {
        var cert = signed ? leaf(name, from, to) : CertificateBuilder.leaf(name).validity(from, to).build();
        Path d = Files.createDirectories(dir.resolve(id));
        String chain = signed && variant == null ? PemWriter.certificates(List.of(cert.certificate(), inter.certificate())) : PemWriter.certificate(cert.certificate());
        Files.writeString(d.resolve("fullchain.pem"), chain);
        Files.writeString(d.resolve("privkey.pem"), PemWriter.privateKey(cert.keys().getPrivate(), Optional.empty()));
        int port = FreePort.tcp();
        ports.put(id, port);
        nginx.addServer(name, port, d.resolve("fullchain.pem"), d.resolve("privkey.pem"));
    }

    private static void writeRelease(Path r, CertificateBuilder.Issued c) throws Exception {
        Files.writeString(r.resolve("fullchain.pem"), PemWriter.certificates(List.of(c.certificate(), inter.certificate())));
        Files.writeString(r.resolve("privkey.pem"), PemWriter.privateKey(c.keys().getPrivate(), Optional.empty()));
    }

    private static EstateSnapshot scan() throws Exception {
        try (Session s = new Session(new Workspace(ws), Map.of("USER", "tester"), Clock.systemUTC())) {
            return new EstateService(s, new dev.certops.scan.TlsProbe(Duration.ofMillis(500), Duration.ofMillis(800)), 16).scan();
        }
    }

    private static CertificateView cert(EstateSnapshot s, String id) {
        return s.certificates().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void eachCaseGetsItsStatusAndProblem() throws Exception {
        EstateSnapshot s = scan();
        assertThat(cert(s, "valid").status()).isEqualTo(Status.OK);
        assertThat(cert(s, "valid").problems()).isEmpty();
        assertThat(cert(s, "expiring").status()).isEqualTo(Status.CRITICAL);
        assertThat(cert(s, "expiring").daysLeft()).contains(10L);
        assertThat(cert(s, "expired").status()).isEqualTo(Status.EXPIRED);
        assertThat(cert(s, "selfsigned").problems()).anyMatch(p -> p.contains("self-signed"));
        assertThat(cert(s, "nointer").problems()).anyMatch(p -> p.contains("intermediate missing") && p.contains("Estate Intermediate"));
        assertThat(cert(s, "wrongname").problems()).anyMatch(p -> p.contains("name mismatch") && p.contains("wrongname.example.test"));
        assertThat(cert(s, "wrongname").endpoints().get(0).nameCovered()).isFalse();
    }

    @Test
    void aReloadThatNeverHappenedIsDivergence() throws Exception {
        CertificateView d = cert(scan(), "diverged");
        assertThat(d.diverged()).isTrue();
        assertThat(d.problems()).anyMatch(p -> p.contains("serves serial " + divergedOldSerial) && p.contains("live on disk"));
        assertThat(d.deployments()).singleElement().satisfies(x -> assertThat(x.release()).contains("r2"));
    }

    @Test
    void aDeadPortAndASilentPortAreUnreachableWithinTheTimeoutWhileTheRestIsScanned() throws Exception {
        long t0 = System.nanoTime();
        EstateSnapshot s = scan();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(s.extraEndpoints()).extracting(EndpointView::status).containsOnly(Status.UNREACHABLE);
        assertThat(s.extraEndpoints()).extracting(e -> e.unreachable().orElse("")).anyMatch(r -> r.startsWith("refused")).anyMatch(r -> r.startsWith("timeout"));
        assertThat(cert(s, "valid").status()).isEqualTo(Status.OK);
        assertThat(s.exitCode()).isEqualTo(2);
    }

    @Test
    void impactQueriesFindCertificatesBySerialCaNameAndDaysLeft() throws Exception {
        EstateSnapshot s = scan();
        String serial = cert(s, "valid").current().orElseThrow().serial();
        assertThat(ImpactQuery.bySerials(s, Set.of("00:" + serial.toUpperCase()))).extracting(CertificateView::id).containsExactly("valid");
        assertThat(ImpactQuery.byCa(s, "Estate Intermediate")).extracting(CertificateView::id).contains("valid", "expiring").doesNotContain("selfsigned");
        assertThat(ImpactQuery.byNames(s, "exp*.example.test")).extracting(CertificateView::id).containsExactlyInAnyOrder("expiring", "expired");
        assertThat(ImpactQuery.byDaysLeft(s, 14)).extracting(CertificateView::id).containsExactlyInAnyOrder("expiring", "expired");
    }

    @Test
    void scansAreRecordedWithOneEventPerStatusChange() throws Exception {
        scan();
        scan();
        try (Session s = new Session(new Workspace(ws), Map.of(), Clock.systemUTC())) {
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.SCAN_FINISHED))).hasSizeGreaterThanOrEqualTo(2);
            var changes = s.history().query(EventQuery.all().kind(EventKinds.SCAN_STATUS_CHANGED).subject("expired"));
            assertThat(changes).as("no new event when nothing changed").hasSize(1);
        }
    }

    @Test
    void theCommandPrintsATableWritesAPrometheusFileAndExitsByTheWorstStatus() throws Exception {
        Path prom = dir.resolve("prom/certops.prom");
        CliRun r = CliRun.run("estate", "scan", "--workspace", ws.toString(), "--prom", prom.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).contains("expiring", "critical", "divergence");
        assertThat(Files.readString(prom)).contains("certops_certificate_days_left{certificate=\"expiring\"} 10", "certops_certificate_diverged{certificate=\"diverged\"} 1");
        CliRun json = CliRun.run("estate", "scan", "--json", "--workspace", ws.toString());
        assertThat(json.out()).contains("\"exitCode\" : 2", "\"status\" : \"CRITICAL\"");
        CliRun affected = CliRun.run("estate", "affected", "--names", "valid.*", "--workspace", ws.toString());
        assertThat(affected.out()).contains("1 certificate(s) affected", "valid");
    }
}

package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.PemWriter;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.scan.TlsProbe;
import dev.certops.root.CompositionRoot;
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
    static List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
    static Path ws;
    static CertificateBuilder.Issued root = CertificateBuilder.ca("Estate Root").build();
    static CertificateBuilder.Issued inter = CertificateBuilder.ca("Estate Intermediate").signedBy(root).build();
    static Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    static String divergedOldSerial;
    static final Duration TIMEOUT = Duration.ofMillis(800);
    static EstateSnapshot snapshot;

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
        Files.writeString(dir.resolve("estate-root.pem"), PemWriter.certificate(root.certificate()));
        y.append("trust: [").append(dir.resolve("estate-root.pem")).append("]\n");
        Files.writeString(new Workspace(ws).configFile(), y.toString());
        snapshot = scan(ws, false);
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

    private static EstateSnapshot scan(Path workspace, boolean record) throws Exception {
        try (CompositionRoot s = new CompositionRoot(new Workspace(workspace), Map.of("USER", "tester"), Clock.systemUTC())) {
            EstateService service = new EstateService(s, new TlsProbe(TIMEOUT, TIMEOUT, TlsProbe.Mode.CHAIN_ONLY), 16);
            return record ? service.scan() : service.scanOnly();
        }
    }

    private static CertificateView cert(String id) { return snapshot.certificate(id).orElseThrow(); }

    @Test
    void aValidCertificateIsOkAndAsksForNothing() {
        assertThat(cert("valid").status()).isEqualTo(Status.OK);
        assertThat(cert("valid").findings()).isEmpty();
        assertThat(cert("valid").attention()).isEqualTo(Attention.NONE);
        EndpointView e = cert("valid").endpoints().get(0);
        assertThat(e.nameCovered()).isTrue();
        assertThat(e.chainComplete()).isTrue();
        assertThat(e.chainInOrder()).isTrue();
        assertThat(e.served().orElseThrow().issuerCn()).isEqualTo("Estate Intermediate");
        assertThat(e.served().orElseThrow().keyType()).contains(KeyType.EC_P256);
    }

    @Test
    void aCertificateExpiringInTenDaysIsCritical() {
        assertThat(cert("expiring").status()).isEqualTo(Status.CRITICAL);
        assertThat(cert("expiring").daysLeft()).contains(10L);
        assertThat(cert("expiring").attention()).isEqualTo(Attention.ACTION);
    }

    @Test
    void anExpiredCertificateIsStillReadAndIsExpired() {
        assertThat(cert("expired").status()).isEqualTo(Status.EXPIRED);
        assertThat(cert("expired").daysLeft()).hasValueSatisfying(d -> assertThat(d).isNegative());
        assertThat(cert("expired").findings()).extracting(Finding::kind).contains(Finding.Kind.EXPIRED);
    }

    @Test
    void aSelfSignedCertificateIsReadAndAsksForAction() {
        CertificateView c = cert("selfsigned");
        assertThat(c.status()).isEqualTo(Status.REJECTED);
        assertThat(c.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.SELF_SIGNED);
        assertThat(c.attention()).isEqualTo(Attention.ACTION);
        assertThat(c.ca()).isEqualTo("self.example.test");
    }

    @Test
    void aLeafServedWithoutItsIntermediateIsAnIncompleteChain() {
        CertificateView c = cert("nointer");
        assertThat(c.status()).isEqualTo(Status.REJECTED);
        assertThat(c.endpoints().get(0).chainComplete()).isFalse();
        assertThat(c.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.INTERMEDIATE_MISSING);
            assertThat(f.message()).contains("Estate Intermediate");
        });
        assertThat(c.attention()).isEqualTo(Attention.ACTION);
    }

    @Test
    void aCertificateForAnotherNameDoesNotCoverTheEndpoint() {
        CertificateView c = cert("wrongname");
        assertThat(c.status()).isEqualTo(Status.REJECTED);
        assertThat(c.endpoints().get(0).nameCovered()).isFalse();
        assertThat(c.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.NAME_NOT_COVERED);
            assertThat(f.message()).contains("wrongname.example.test", "other.example.test");
        });
        assertThat(c.attention()).isEqualTo(Attention.ACTION);
    }

    @Test
    void aFileReplacedOnDiskWithoutAReloadIsDivergence() {
        CertificateView d = cert("diverged");
        assertThat(d.diverged()).isTrue();
        assertThat(d.status()).isEqualTo(Status.DIVERGED);
        assertThat(d.findings()).filteredOn(f -> f.kind() == Finding.Kind.DIVERGED_FROM_DISK).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("serves serial " + divergedOldSerial, "live on disk", "release r2"));
        assertThat(d.deployments()).singleElement().satisfies(x -> {
            assertThat(x.release()).contains("r2");
            assertThat(x.live().orElseThrow().serial()).isNotEqualTo(divergedOldSerial);
        });
        assertThat(d.attention()).isEqualTo(Attention.ACTION);
    }

    @Test
    void aDeadPortAndASilentPortAreUnreachableWithinTheTimeoutWhileTheRestIsScanned() {
        // a probe without a deadline would wait for the silent port forever; slack for a loaded machine
        assertThat(snapshot.took()).isLessThan(TIMEOUT.multipliedBy(2).plusSeconds(5));
        assertThat(snapshot.extraEndpoints()).extracting(EndpointView::status).containsOnly(Status.UNREACHABLE);
        assertThat(snapshot.extraEndpoints()).extracting(e -> e.unreachable().orElse(""))
                .anyMatch(r -> r.startsWith("refused")).anyMatch(r -> r.startsWith("timeout"));
        assertThat(snapshot.certificates()).allSatisfy(c -> assertThat(c.endpoints()).allSatisfy(e -> assertThat(e.served()).isPresent()));
    }

    @Test
    void theWorstCaseDecidesTheExitCode() {
        assertThat(snapshot.exitCode()).isEqualTo(2);
    }

    @Test
    void impactQueryBySerialAcceptsColonsCaseAndLeadingZeros() {
        String serial = cert("valid").current().orElseThrow().serial();
        assertThat(ImpactQuery.bySerials(snapshot, Set.of("00:" + serial.toUpperCase()))).extracting(CertificateView::id).containsExactly("valid");
    }

    @Test
    void impactQueryByCaFindsEveryCertificateOfThatIssuer() {
        assertThat(ImpactQuery.byCa(snapshot, "Estate Intermediate")).extracting(CertificateView::id)
                .contains("valid", "expiring", "expired", "nointer", "wrongname", "diverged").doesNotContain("selfsigned");
    }

    @Test
    void impactQueryByNamePatternAndByDaysLeft() {
        assertThat(ImpactQuery.byNames(snapshot, "exp*.example.test")).extracting(CertificateView::id).containsExactlyInAnyOrder("expiring", "expired");
        assertThat(ImpactQuery.byDaysLeft(snapshot, 14)).extracting(CertificateView::id).containsExactlyInAnyOrder("expiring", "expired");
    }

    @Test
    void eachScanIsRecordedAndOnlyStatusChangesAddEvents() throws Exception {
        Path own = copyWorkspace("recorded");
        scan(own, true);
        EstateSnapshot second = scan(own, true);
        try (CompositionRoot s = new CompositionRoot(new Workspace(own), Map.of(), Clock.systemUTC())) {
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.SCAN_FINISHED))).hasSize(2);
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.SCAN_STATUS_CHANGED).subject("expired")))
                    .as("one event when it was first seen, none when nothing changed").singleElement()
                    .satisfies(e -> assertThat(e.details()).contains("\"from\":\"unknown\"", "\"to\":\"expired\""));
        }
        assertThat(second.certificate("expired").orElseThrow().since().orElseThrow()).as("since the first scan").isBefore(second.at());
    }

    @Test
    void theCommandPrintsATableWritesAPrometheusFileAndExitsByTheWorstCase() throws Exception {
        Path prom = dir.resolve("prom/certops.prom");
        CliRun r = CliRun.run("estate", "scan", "--workspace", copyWorkspace("cli-table").toString(), "--prom", prom.toString(), "--timeout", "800");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).contains("expiring", "critical", "divergence");
        assertThat(Files.readString(prom)).contains("certops_certificate_days_left{certificate=\"expiring\"} 10",
                "certops_certificate_diverged{certificate=\"diverged\"} 1", "certops_host_status{certificate=\"diverged\",host=\"host1\",status=\"ok\"} 1");
        assertThat(Files.readString(prom)).contains("certops_endpoint_status{certificate=\"\",endpoint=\"127.0.0.1:" + ports.get("silent")
                + "\",sni=\"127.0.0.1\",status=\"unreachable\"} 1");
        assertThat(prom.getParent()).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void theCommandPrintsJsonWithTheJudgedFields() throws Exception {
        CliRun json = CliRun.run("estate", "scan", "--json", "--workspace", copyWorkspace("cli-json").toString(), "--timeout", "800");
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.out()).contains("\"exitCode\" : 2", "\"status\" : \"CRITICAL\"", "\"nameCovered\" : false", "\"kind\" : \"INTERMEDIATE_MISSING\"",
                "\"attention\" : \"action\"", "\"serial\"", "\"notAfter\"");
    }

    @Test
    void theAffectedCommandAnswersByNamePattern() throws Exception {
        CliRun affected = CliRun.run("estate", "affected", "--names", "valid.*", "--workspace", copyWorkspace("cli-affected").toString(), "--timeout", "800");
        assertThat(affected.out()).contains("1 certificate affected", "valid");
        assertThat(affected.exitCode()).isEqualTo(1);
    }

    private static Path copyWorkspace(String name) throws Exception {
        Path own = dir.resolve("ws-" + name);
        new Workspace(own).create();
        Files.copy(new Workspace(ws).configFile(), new Workspace(own).configFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return own;
    }
}

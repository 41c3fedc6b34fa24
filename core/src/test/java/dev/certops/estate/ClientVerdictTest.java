package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.scan.TlsProbe;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.ManagedProcess;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.OpensslClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every finding of a TLS client's verdict against real servers (nginx, and openssl s_server) with a
 * generated PKI: the scan's status, finding code and sentence, and the same accept / reject verdict as
 * {@code openssl s_client -verify_return_error -verify_hostname} trusting the same root.
 */
class ClientVerdictTest {
    @TempDir static Path dir;
    static NginxFixture nginx;
    static final List<ManagedProcess> sServers = new ArrayList<>();
    static final Instant NOW = Instant.now();
    static final CertificateBuilder.Issued ROOT = CertificateBuilder.ca("Verdict Root").build();
    static final CertificateBuilder.Issued INTER = CertificateBuilder.ca("Verdict Intermediate").signedBy(ROOT).build();
    static final Map<String, Case> CASES = new LinkedHashMap<>();
    static Path rootPem;
    static EstateSnapshot snapshot;

    /** One served chain and what both clients must say about it. */
    record Case(String id, String sni, Status status, String code, String sentence, boolean viaSServer, int[] port) {
        @Override public String toString() { return id; }
    }

    private static void add(String id, String sni, Status status, String code, String sentence, boolean sServer) {
        CASES.put(id, new Case(id, sni, status, code, sentence, sServer, new int[1]));
    }

    static {
        add("a valid chain from the trusted root is ok", "good.verdict.test", Status.OK, null, null, false);
        add("the same chain served by openssl s_server is ok", "good.verdict.test", Status.OK, null, null, true);
        add("a wildcard covers one label below it", "a.wild.verdict.test", Status.OK, null, null, false);
        add("a leaf not valid until the day after tomorrow is rejected", "notyet.verdict.test", Status.REJECTED, "not-yet-valid", "is not valid before", false);
        add("a leaf that expired 26 hours ago is expired, -1 day left", "expired.verdict.test", Status.EXPIRED, "expired", "expired on", false);
        add("an expired intermediate is rejected", "interexpired.verdict.test", Status.REJECTED, "intermediate-expired", "which expired on", false);
        add("a chain to a root nobody trusts is rejected", "untrusted.verdict.test", Status.REJECTED, "untrusted", "which no client trusts", false);
        add("a leaf served without its intermediate is rejected", "nointer.verdict.test", Status.REJECTED, "intermediate-missing",
                "without the intermediate that issued it ('Verdict Intermediate')", false);
        add("a self-signed certificate is rejected", "self.verdict.test", Status.REJECTED, "self-signed", "self-signed certificate no client trusts", false);
        add("a certificate for another name is rejected", "wrong.verdict.test", Status.REJECTED, "name-not-covered", "which does not cover wrong.verdict.test", false);
        add("a wildcard never covers its apex", "wild.verdict.test", Status.REJECTED, "name-not-covered", "which does not cover wild.verdict.test", false);
        add("an RSA 1024 leaf is rejected", "weakkey.verdict.test", Status.REJECTED, "weak-key", "with a RSA 1024 key", false);
        add("a SHA-1 signed leaf is rejected", "sha1.verdict.test", Status.REJECTED, "weak-signature", "signed with SHA1withECDSA", true);
        add("a leaf for client authentication only is rejected", "eku.verdict.test", Status.REJECTED, "no-server-auth", "does not include serverAuth", false);
        add("a server speaking only TLS 1.0 is read and rejected", "legacy.verdict.test", Status.REJECTED, "legacy-protocol", "speaks only TLS 1.0", true);
        add("a chain out of order is a warning clients accept", "order.verdict.test", Status.WARNING, "chain-out-of-order", "sends its chain out of order", false);
    }

    @BeforeAll
    static void serveEveryCase() throws Exception {
        rootPem = dir.resolve("root.pem");
        Files.writeString(rootPem, PemWriter.certificate(ROOT.certificate()));
        nginx = NginxFixture.in(dir.resolve("nginx")).weakCertificatesAllowed();
        var untrustedRoot = CertificateBuilder.ca("Nobody's Root").build();
        var untrustedInter = CertificateBuilder.ca("Nobody's Intermediate").signedBy(untrustedRoot).build();
        var expiredInter = CertificateBuilder.ca("Expired Intermediate").validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1))).signedBy(ROOT).build();
        var rsa1024 = KeyPairGenerator.getInstance("RSA");
        rsa1024.initialize(1024);
        for (Case c : CASES.values()) {
            CertificateBuilder leaf = CertificateBuilder.leaf(c.sni()).validity(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(80))).signedBy(INTER);
            List<CertificateBuilder.Issued> extra = List.of(INTER);
            switch (c.sni().split("\\.")[0]) {
                case "a" -> leaf = CertificateBuilder.leaf("*.wild.verdict.test").signedBy(INTER);
                case "wild" -> leaf = CertificateBuilder.leaf("*.wild.verdict.test").signedBy(INTER);
                case "notyet" -> leaf.validity(NOW.plus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(90)));
                case "expired" -> leaf.validity(NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofHours(26)));
                case "interexpired" -> {
                    leaf.signedBy(expiredInter);
                    extra = List.of(expiredInter);
                }
                case "untrusted" -> {
                    leaf.signedBy(untrustedInter);
                    extra = List.of(untrustedInter);
                }
                case "nointer" -> extra = List.of();
                case "self" -> {
                    leaf = CertificateBuilder.leaf(c.sni());
                    extra = List.of();
                }
                case "wrong" -> leaf = CertificateBuilder.leaf("other.verdict.test").signedBy(INTER);
                case "weakkey" -> leaf.keyPair(rsa1024.generateKeyPair());
                case "sha1" -> leaf.signatureAlgorithm("SHA1withECDSA");
                case "eku" -> leaf.extendedKeyUsage(KeyPurposeId.id_kp_clientAuth);
                case "order" -> extra = List.of(ROOT, INTER);
                default -> { }
            }
            serve(c, leaf.build(), extra);
        }
        nginx.start();
        for (Case c : CASES.values()) awaitListening(c.port()[0]);

        Path ws = dir.resolve("ws");
        new Workspace(ws).create();
        StringBuilder y = new StringBuilder("trust: [" + rootPem + "]\nendpoints:\n");
        for (Case c : CASES.values()) y.append("  - { host: 127.0.0.1, port: ").append(c.port()[0]).append(", sni: ").append(c.sni()).append(" }\n");
        Files.writeString(new Workspace(ws).configFile(), y.toString());
        try (CompositionRoot s = new CompositionRoot(new Workspace(ws), Map.of("USER", "tester"), Clock.systemUTC())) {
            snapshot = new EstateService(s, new TlsProbe(Duration.ofSeconds(2), Duration.ofSeconds(3), TlsProbe.Mode.CHAIN_ONLY), 8).scanOnly();
        }
    }

    private static void serve(Case c, CertificateBuilder.Issued leaf, List<CertificateBuilder.Issued> extra) throws Exception {
        Path d = Files.createDirectories(dir.resolve("case-" + c.sni()));
        List<java.security.cert.X509Certificate> chain = new ArrayList<>(List.of(leaf.certificate()));
        extra.forEach(i -> chain.add(i.certificate()));
        Files.writeString(d.resolve("fullchain.pem"), PemWriter.certificates(chain));
        Files.writeString(d.resolve("cert.pem"), PemWriter.certificate(leaf.certificate()));
        Files.writeString(d.resolve("chain.pem"), extra.isEmpty() ? "" : PemWriter.certificates(chain.subList(1, chain.size())));
        Files.writeString(d.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
        int port = FreePort.tcp();
        c.port()[0] = port;
        if (!c.viaSServer()) {
            nginx.addServer(c.sni(), port, d.resolve("fullchain.pem"), d.resolve("privkey.pem"));
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", d.resolve("cert.pem").toString(),
                "-key", d.resolve("privkey.pem").toString(), "-cipher", "DEFAULT:@SECLEVEL=0", "-quiet"));
        if (!extra.isEmpty()) cmd.addAll(List.of("-cert_chain", d.resolve("chain.pem").toString()));
        if (c.sni().startsWith("legacy.")) cmd.add("-tls1");
        sServers.add(ManagedProcess.start("s_server-" + c.sni(), cmd, d.resolve("s_server.log")));
    }

    private static void awaitListening(int port) {
        dev.certops.testing.Poll.until(Duration.ofSeconds(15), () -> dev.certops.testing.Poll.accepts(port), "port " + port + " to listen");
    }

    @AfterAll
    static void stop() {
        if (nginx != null) nginx.close();
        sServers.forEach(ManagedProcess::close);
    }

    static Stream<Case> cases() { return CASES.values().stream(); }

    private static EndpointView endpoint(Case c) {
        return snapshot.extraEndpoints().stream().filter(e -> e.endpoint().port() == c.port()[0]).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theScanSaysWhatATlsClientSaysAndAgreesWithOpenssl(Case c) throws Exception {
        EndpointView e = endpoint(c);
        assertThat(e.status()).as(e.findings().toString()).isEqualTo(c.status());
        if (c.code() == null) {
            assertThat(e.findings()).isEmpty();
        } else {
            assertThat(e.findings()).as("the finding that decides the status").filteredOn(f -> f.code().equals(c.code())).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains(c.sentence()).contains(" — "));
            assertThat(e.reason()).contains(c.sentence());
        }
        OpensslClient.Verdict openssl = OpensslClient.verify(c.port()[0], c.sni(), Optional.of(rootPem), Optional.empty());
        assertThat(openssl.accepted()).as("openssl s_client's verdict for " + c + ":\n" + openssl.output()).isEqualTo(!c.status().refused());
    }

    @Test
    void aCertificateThatExpired26HoursAgoHasMinusOneDayLeft() {
        assertThat(endpoint(CASES.get("a leaf that expired 26 hours ago is expired, -1 day left")).daysLeft()).contains(-1L);
    }

    @Test
    void configCheckNamesAnUnreadableTrustFileAndTheScanRefusesToJudgeWithoutIt() throws Exception {
        Path ws = dir.resolve("ws-missing-trust");
        new Workspace(ws).create();
        Files.writeString(new Workspace(ws).configFile(), "trust: [pki/internal-root.pem]\nendpoints: [\"127.0.0.1:" + CASES.values().iterator().next().port()[0] + "\"]\n");

        CliRun check = CliRun.run("config", "check", "--workspace", ws.toString());
        assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(check.out()).contains("✘ trust[0]: file " + ws.resolve("pki/internal-root.pem") + " cannot be used: it cannot be read");

        CliRun scan = CliRun.run("estate", "scan", "--workspace", ws.toString());
        assertThat(scan.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(scan.err()).contains("trust: " + ws.resolve("pki/internal-root.pem") + " cannot be used: it cannot be read");
    }

    @Test
    void theSummaryCountsEachStatus() {
        assertThat(snapshot.summary()).isEqualTo("3 ok, 1 warning, 11 rejected, 1 expired");
    }
}

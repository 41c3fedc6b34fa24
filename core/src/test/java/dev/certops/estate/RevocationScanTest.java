package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.scan.TlsProbe;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.OpensslClient;
import dev.certops.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation against real servers: nginx serves the certificates and, over plain HTTP, the CRLs the
 * test CA signed. A serial the CRL lists is revoked (openssl with that CRL agrees); a CRL that cannot
 * be fetched is a warning; a CRL is kept until its nextUpdate; a serial certops revoked is revoked.
 */
class RevocationScanTest {
    @TempDir static Path dir;
    static NginxFixture nginx;
    static final Instant NOW = Instant.now();
    static final CertificateBuilder.Issued ROOT = CertificateBuilder.ca("Revocation Root").build();
    static final CertificateBuilder.Issued INTER = CertificateBuilder.ca("Revocation Intermediate").signedBy(ROOT).build();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    static final Map<String, CertificateBuilder.Issued> LEAVES = new LinkedHashMap<>();
    static Path crls;
    static Path rootPem;
    static Path ws;
    static EstateService service;
    static CompositionRoot session;
    static EstateSnapshot first;
    static EstateSnapshot second;

    @BeforeAll
    static void estate() throws Exception {
        crls = Files.createDirectories(dir.resolve("crl"));
        rootPem = dir.resolve("root.pem");
        Files.writeString(rootPem, PemWriter.certificate(ROOT.certificate()));
        int http = FreePort.tcp();
        nginx = NginxFixture.in(dir.resolve("nginx")).addHttpServer(http, crls);
        String base = "http://127.0.0.1:" + http + "/";
        leaf("listed", base + "inter.crl");
        leaf("unlisted", base + "inter.crl");
        leaf("unfetchable", base + "missing.crl");
        leaf("stale", base + "stale.crl");
        leaf("certops-revoked", null);
        writeCrl("inter.crl", NOW.plus(Duration.ofDays(1)), LEAVES.get("listed"));
        writeCrl("stale.crl", NOW.minus(Duration.ofHours(1)), LEAVES.get("stale"));
        nginx.start();
        for (int p : PORTS.values()) Poll.until(Duration.ofSeconds(10), () -> Poll.accepts(p), "port " + p);

        ws = dir.resolve("ws");
        new Workspace(ws).create();
        StringBuilder y = new StringBuilder("trust: [" + rootPem + "]\nendpoints:\n");
        PORTS.forEach((id, p) -> y.append("  - { host: 127.0.0.1, port: ").append(p).append(", sni: ").append(id).append(".revocation.test }\n"));
        Files.writeString(new Workspace(ws).configFile(), y.toString());
        session = new CompositionRoot(new Workspace(ws), Map.of("USER", "tester"), Clock.systemUTC());
        session.history().append(new NewEvent(EventKinds.ACME_REVOKED, "api", "ok", Map.of("ca", "primary", "serial",
                LEAVES.get("certops-revoked").info().serial(), "reason", "key-compromise")));
        service = new EstateService(session, new TlsProbe(Duration.ofSeconds(2), Duration.ofSeconds(3), TlsProbe.Mode.CHAIN_ONLY), 4);
        first = service.scanOnly();
        // the CA's CRLs go away: a CRL still current (nextUpdate ahead) is kept, one past its nextUpdate must be fetched again
        Files.delete(crls.resolve("inter.crl"));
        Files.delete(crls.resolve("stale.crl"));
        second = service.scanOnly();
    }

    private static void leaf(String id, String crlUrl) throws Exception {
        CertificateBuilder b = CertificateBuilder.leaf(id + ".revocation.test").signedBy(INTER);
        if (crlUrl != null) b.crlDistributionPoint(crlUrl);
        var leaf = b.build();
        LEAVES.put(id, leaf);
        Path d = Files.createDirectories(dir.resolve(id));
        Files.writeString(d.resolve("fullchain.pem"), PemWriter.certificates(List.of(leaf.certificate(), INTER.certificate())));
        Files.writeString(d.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
        int port = FreePort.tcp();
        PORTS.put(id, port);
        nginx.addServer(id + ".revocation.test", port, d.resolve("fullchain.pem"), d.resolve("privkey.pem"));
    }

    /** A CRL signed by the intermediate, listing {@code revoked}, valid until {@code nextUpdate}; also kept as PEM for openssl. */
    private static void writeCrl(String name, Instant nextUpdate, CertificateBuilder.Issued revoked) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(INTER.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(NOW.minus(Duration.ofHours(2))));
        b.setNextUpdate(Date.from(nextUpdate));
        b.addCRLEntry(revoked.certificate().getSerialNumber(), Date.from(NOW.minus(Duration.ofHours(1))), CRLReason.keyCompromise);
        X509CRL crl = new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(INTER.keys().getPrivate())));
        Files.write(crls.resolve(name), crl.getEncoded());
        Files.writeString(dir.resolve(name + ".pem"), "-----BEGIN X509 CRL-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(crl.getEncoded()) + "\n-----END X509 CRL-----\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (session != null) session.close();
        if (nginx != null) nginx.close();
    }

    private static EndpointView endpoint(EstateSnapshot s, String id) {
        return s.extraEndpoints().stream().filter(e -> e.endpoint().port() == PORTS.get(id)).findFirst().orElseThrow();
    }

    private static OpensslClient.Verdict openssl(String id, List<String> more) throws Exception {
        return OpensslClient.verify(PORTS.get(id), id + ".revocation.test", Optional.of(rootPem), Optional.empty(), more);
    }

    @Test
    void aSerialTheCasCrlListsIsRevokedAndOpensslWithThatCrlRefusesItToo() throws Exception {
        EndpointView e = endpoint(first, "listed");
        assertThat(e.status()).isEqualTo(Status.REVOKED);
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("revoked");
            assertThat(f.message()).contains("which its CA's CRL", "inter.crl", "lists as revoked", "— issue a new certificate now");
        });
        var openssl = openssl("listed", List.of("-crl_check", "-CRL", dir.resolve("inter.crl.pem").toString()));
        assertThat(openssl.accepted()).as(openssl.output()).isFalse();
    }

    @Test
    void aSerialTheCrlDoesNotListIsOkAndOpensslWithThatCrlAccepts() throws Exception {
        EndpointView e = endpoint(first, "unlisted");
        assertThat(e.status()).as(e.findings().toString()).isEqualTo(Status.OK);
        var openssl = openssl("unlisted", List.of("-crl_check", "-CRL", dir.resolve("inter.crl.pem").toString()));
        assertThat(openssl.accepted()).as(openssl.output()).isTrue();
    }

    @Test
    void aCrlThatCannotBeFetchedIsAWarningNeverASilentPass() throws Exception {
        EndpointView e = endpoint(first, "unfetchable");
        assertThat(e.status()).isEqualTo(Status.WARNING);
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("revocation-unknown");
            assertThat(f.message()).contains("revocation could not be checked", "missing.crl", "HTTP 404");
        });
        var openssl = openssl("unfetchable", List.of());
        assertThat(openssl.accepted()).as("a client without the CRL accepts it: a warning, not a rejection").as(openssl.output()).isTrue();
    }

    @Test
    void aCrlIsKeptUntilItsNextUpdateAndFetchedAgainAfter() {
        assertThat(endpoint(first, "stale").status()).isEqualTo(Status.REVOKED);
        assertThat(endpoint(second, "listed").status()).as("inter.crl is gone from the server but current until tomorrow").isEqualTo(Status.REVOKED);
        assertThat(endpoint(second, "stale").status()).as("stale.crl's nextUpdate has passed: fetched again, now missing").isEqualTo(Status.WARNING);
        assertThat(endpoint(second, "stale").findings()).extracting(Finding::code).containsExactly("revocation-unknown");
    }

    @Test
    void aSerialCertopsRevokedIsRevokedEvenWithoutACrl() {
        EndpointView e = endpoint(first, "certops-revoked");
        assertThat(e.status()).isEqualTo(Status.REVOKED);
        assertThat(e.findings()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("serves serial " + LEAVES.get("certops-revoked").info().serial(), "which certops revoked it on", "(key-compromise)"));
        assertThat(first.summary()).isEqualTo("1 ok, 1 warning, 3 revoked");
    }
}

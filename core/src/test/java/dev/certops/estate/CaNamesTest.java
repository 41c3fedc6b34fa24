package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.CertificateVersions;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuer → CA: history, stored versions, well-known issuers on a configured CA's domain, else the issuer's CN. */
class CaNamesTest {
    @TempDir Path dir;
    CompositionRoot session;

    @BeforeEach
    void workspace() throws Exception {
        Workspace ws = new Workspace(dir);
        ws.create();
        Files.writeString(ws.configFile(), """
                cas:
                  - id: le-prod
                    directory: https://acme-v02.api.letsencrypt.org/directory
                  - id: pebble-primary
                    directory: https://127.0.0.1:14000/dir
                certificates:
                  - { id: web, names: [web.example.test] }
                """);
        session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
    }

    private CaNames learn() throws Exception {
        return CaNames.learn(session.config(), session.history(), new CertificateVersions(session.workspace(), session.secrets()));
    }

    @Test
    void aCertificateFromTheSameIssuerAsAStoredVersionMapsToThatVersionsCa() throws Exception {
        var issuer = CertificateBuilder.ca("Pebble Intermediate CA 4f2a1b").build();
        var stored = CertificateBuilder.leaf("web.example.test").signedBy(issuer).build();
        new CertificateVersions(session.workspace(), session.secrets())
                .store("web", List.of(stored.certificate(), issuer.certificate()), stored.keys().getPrivate(), "pebble-primary", false, Instant.now());
        var renewedElsewhere = CertificateBuilder.leaf("web.example.test").signedBy(issuer).build();
        assertThat(learn().of(renewedElsewhere.info())).isEqualTo("pebble-primary");
    }

    @Test
    void aSerialIssuedThroughCertopsMapsToTheCaInHistory() throws Exception {
        var issuer = CertificateBuilder.ca("Some Issuing CA").build();
        var leaf = CertificateBuilder.leaf("web.example.test").signedBy(issuer).build();
        session.history().append(new NewEvent(EventKinds.ACME_CERT_ISSUED, "web", "ok", Map.of("ca", "le-prod", "serial", leaf.info().serial())));
        assertThat(learn().of(leaf.info())).isEqualTo("le-prod");
    }

    @Test
    void aWellKnownIssuerMapsToTheConfiguredCaOnItsDomain() throws Exception {
        var issuer = CertificateBuilder.ca("Let's Encrypt R11").build();
        assertThat(learn().of(CertificateBuilder.leaf("x.example.test").signedBy(issuer).build().info())).isEqualTo("le-prod");
    }

    @Test
    void aWellKnownIssuerWithoutAConfiguredCaGetsItsWellKnownName() throws Exception {
        var issuer = CertificateBuilder.ca("ZeroSSL ECC Domain Secure Site CA").build();
        assertThat(learn().of(CertificateBuilder.leaf("x.example.test").signedBy(issuer).build().info())).isEqualTo("zerossl");
    }

    @Test
    void anUnknownIssuerIsNamedByItsCommonName() throws Exception {
        var issuer = CertificateBuilder.ca("Corp Internal Issuing CA 3").build();
        assertThat(learn().of(CertificateBuilder.leaf("x.example.test").signedBy(issuer).build().info())).isEqualTo("Corp Internal Issuing CA 3");
    }

    @org.junit.jupiter.api.AfterEach
    void close() { session.close(); }
}

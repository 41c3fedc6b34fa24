package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.CertificateVersions;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.PemReader;
import dev.certops.crypto.SecretStore;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.history.NewEvent;
import dev.certops.testing.TestTls;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalInputsTest {

    @Test
    void storedVersionIsKnownAndItsRevocationInHistoryIsSeen(@TempDir Path dir) throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        TestTls tls = TestTls.create(dir.resolve("tls"));
        List<X509Certificate> chain = PemReader.readCertificates(tls.certPem());
        CertificateVersions versions = new CertificateVersions(ws, new SecretStore(ws.secretsDir(), Optional.empty()));
        versions.store("www", chain, PemReader.readPrivateKey(tls.keyPem(), Optional.empty()), "pebble", false, Instant.now());
        CertificateInfo info = CertificateInfo.from(chain.get(0));
        try (HistoryStore history = HistoryStores.open(ws, "test")) {
            RenewalInput before = gather(PlannerFixtures.config("www", "localhost"), versions, history,
                    List.of(), List.of(), Optional.empty());
            assertThat(before.known()).extracting(CertificateInfo::serial).containsExactly(info.serial());
            assertThat(before.revoked()).isFalse();
            history.append(new NewEvent(EventKinds.ACME_REVOKED, "www", "ok", Map.of("ca", "pebble", "serial", info.serial())));
            assertThat(gather(PlannerFixtures.config("www", "localhost"), versions, history,
                    List.of(), List.of(), Optional.empty()).revoked()).isTrue();
        }
    }

    @Test
    void aStoredVersionsSummaryIsKeptBesideItAndRebuiltWhenDamaged(@TempDir Path dir) throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        TestTls tls = TestTls.create(dir.resolve("tls"));
        List<X509Certificate> chain = PemReader.readCertificates(tls.certPem());
        CertificateVersions versions = new CertificateVersions(ws, new SecretStore(ws.secretsDir(), Optional.empty()));
        CertificateVersions.Version v = versions.store("www", chain, PemReader.readPrivateKey(tls.keyPem(), Optional.empty()), "pebble", false, Instant.now());
        CertificateInfo parsed = CertificateInfo.from(chain.get(0));

        assertThat(versions.info(v)).isEqualTo(parsed);
        assertThat(v.dir().resolve("info.json")).exists();
        assertThat(versions.info(v)).as("read back from info.json").isEqualTo(parsed);

        java.nio.file.Files.writeString(v.dir().resolve("info.json"), "{ not json");
        assertThat(versions.info(v)).as("a damaged summary is rebuilt from cert.pem").isEqualTo(parsed);
    }

    /** What a renew run gathers for one certificate: its newest stored version and its revoked serials from history. */
    private static RenewalInput gather(dev.certops.config.CertificateConfig cert, CertificateVersions versions, HistoryStore history,
                                       List<CertificateInfo> live, List<String> diverged, Optional<AriWindow> ari) throws Exception {
        Optional<CertificateVersions.Version> latest = versions.latest(cert.id());
        Optional<CertificateInfo> stored = latest.isPresent() ? Optional.of(versions.info(latest.get())) : Optional.empty();
        return RenewalInputs.of(cert, stored, live, RenewalInputs.revokedSerials(history).getOrDefault(cert.id(), java.util.Set.of()),
                diverged, ari);
    }
}

package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.AcmeLab;
import dev.certops.acme.CertificateVersions;
import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.PemReader;
import dev.certops.crypto.SecretStore;
import dev.certops.testing.CertbotRunner;
import dev.certops.testing.SshdFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import certbot --host HOST}: a real certbot (Debian {@code certbot}) issues a lineage from
 * Pebble (webroot, renewed once: two archived versions) into a folder that certops reads over the
 * host's SSH session (a real sshd on loopback, strict host keys) — then renews it from Pebble through
 * that host's webroot, the one certbot used. With a
 * workspace passphrase the imported keys are stored encrypted.
 */
class ImportOverSshTest {
    static final String PASSPHRASE = "import-test-passphrase";
    @TempDir static Path dir;
    static AcmeLab lab;
    static SshdFixture sshd;
    static Path certbot;

    @BeforeAll
    static void certbotIssuesALineageOnTheHost() throws Exception {
        lab = new AcmeLab(dir.resolve("lab"));
        sshd = SshdFixture.start(dir.resolve("sshd"));
        certbot = dir.resolve("host/etc/letsencrypt");
        certbot("certonly", "--webroot", "-w", lab.webroot.toString(), "-d", "web.ssh-import.test", "--key-type", "ecdsa");
        certbot("renew", "--cert-name", "web.ssh-import.test", "--force-renewal");
    }

    private static void certbot(String... args) throws Exception {
        new CertbotRunner(dir, certbot, lab.primary.directoryUrl(), lab.primary.trustAnchorPem()).run(args);
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
        if (lab != null) lab.close();
    }

    /** A workspace whose host {@code certhost} is this machine reached over SSH (known host key, user key). */
    private static Path workspace(String name) throws Exception {
        Path root = dir.resolve(name);
        String host = "- { id: certhost, address: 127.0.0.1, port: " + sshd.port() + ", user: " + sshd.user() + ", identity: " + sshd.userKey()
                + ", knownHosts: ssh/known_hosts, certDir: /srv/unused, webroot: " + lab.webroot + " }";
        lab.workspace(root, host, "[]", lab.primary.directoryUrl(), lab.secondary.directoryUrl(), Clock.systemUTC()).close();
        sshd.writeKnownHosts(root.resolve("ssh/known_hosts"));
        return root;
    }

    private static CliRun certops(Map<String, String> env, Path ws, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--workspace", ws.toString()));
        return CliRun.run(env, "", a.toArray(String[]::new));
    }

    @Test
    void aCertbotLineageIsImportedOverTheHostsSshSessionWithEveryVersionThenRenewedFromPebble() throws Exception {
        Path ws = workspace("plain");
        CliRun r = certops(Map.of(), ws, "import", "certbot", "--host", "certhost", "--dir", certbot.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("web.ssh-import.test: added to certops.yaml — 2 version(s) stored");
        assertThat(Files.readString(ws.resolve("certops.yaml"))).contains("names: [web.ssh-import.test]", "key: ec-p256", "cas: [primary]",
                "challenge: { type: http-01, host: certhost }");
        CliRun check = certops(Map.of(), ws, "config", "check");
        assertThat(check.exitCode()).as(check.out()).isZero();

        Workspace w = new Workspace(ws);
        CertificateVersions versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.empty()));
        List<CertificateVersions.Version> stored = versions.list("web.ssh-import.test");
        assertThat(stored).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(versions.fullchainPem(stored.get(i))).as("version %d is certbot's archive fullchain%d.pem", i + 1, i + 1)
                    .isEqualTo(Files.readString(certbot.resolve("archive/web.ssh-import.test/fullchain" + (i + 1) + ".pem")));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.secretsDir().resolve(stored.get(i).keyRef())))).isEqualTo("rw-------");
        }

        // renewed from Pebble: the HTTP-01 token goes over SSH into certhost's webroot (the one certbot used), served by the lab's nginx
        CliRun issue = certops(Map.of(), ws, "issue", "web.ssh-import.test");
        assertThat(issue.exitCode()).as(issue.out() + issue.err()).isZero();
        assertThat(versions.list("web.ssh-import.test")).hasSize(3).last().satisfies(v -> assertThat(v.ca()).isEqualTo("primary"));
    }

    @Test
    void withAWorkspacePassphraseTheImportedKeysAreStoredEncryptedAndStillMatchTheirCertificates() throws Exception {
        Path ws = workspace("encrypted");
        CliRun r = certops(Map.of(Workspace.ENV_PASSPHRASE, PASSPHRASE), ws, "import", "certbot", "--host", "certhost", "--dir", certbot.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();

        Workspace w = new Workspace(ws);
        CertificateVersions versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.of(PASSPHRASE.toCharArray())));
        List<CertificateVersions.Version> stored = versions.list("web.ssh-import.test");
        assertThat(stored).hasSize(2);
        for (CertificateVersions.Version v : stored) {
            Path keyFile = w.secretsDir().resolve(v.keyRef());
            String onDisk = new String(Files.readAllBytes(keyFile), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(onDisk).as("the key at rest").doesNotContain("PRIVATE KEY");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            var key = versions.secrets().readPrivateKey(v.keyRef());
            var archived = PemReader.readPrivateKey(certbot.resolve("archive/web.ssh-import.test/privkey" + v.number() + ".pem"), Optional.empty());
            assertThat(key.getEncoded()).as("decrypted with the passphrase, it is certbot's key of version %d", v.number()).isEqualTo(archived.getEncoded());
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SecretStore(w.secretsDir(), Optional.empty()).readPrivateKey(stored.get(0).keyRef()))
                .as("without the passphrase the key cannot be used").hasMessageContaining("passphrase");
    }
}

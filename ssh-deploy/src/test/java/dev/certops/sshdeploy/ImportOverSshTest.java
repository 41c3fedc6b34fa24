package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.acme.AcmeLab;
import dev.certops.acme.CertificateVersions;
import dev.certops.cli.CliRun;
import dev.certops.config.HostConfig;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.PemReader;
import dev.certops.crypto.SecretStore;
import dev.certops.testing.AcmeShHome;
import dev.certops.testing.CertbotRunner;
import dev.certops.testing.OpensslClient;
import dev.certops.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import certbot --host HOST} and {@code import acme.sh --host HOST}: the tools' folders are on a
 * host certops reaches over SSH (a real sshd on loopback, strict host keys; the host is this machine).
 * A real certbot (Debian {@code certbot}) issues two lineages from Pebble there — one by webroot
 * (HTTP-01 through the lab's nginx, renewed once: two archived versions), one by {@code --manual} DNS-01
 * whose auth hook publishes the TXT record in challtestsrv. certops brings both in over the host's SSH
 * session, renews the webroot one from Pebble and deploys it, deploys the DNS one as imported — both
 * over SSH to a real nginx whose served certificates {@code openssl s_client -verify_return_error}
 * checks. With a workspace passphrase the imported keys are stored encrypted.
 */
class ImportOverSshTest {
    static final String PASSPHRASE = "import-test-passphrase";
    static final String WEB = "web.ssh-import.test";
    static final String MAIL = "mail.ssh-import.test";
    @TempDir static Path dir;
    static AcmeLab lab;
    static DeployLab host;
    static HostConfig certhost;
    static Path certbot;
    static Path pebbleRoot;

    @BeforeAll
    static void certbotIssuesTwoLineagesOnTheHost() throws Exception {
        lab = new AcmeLab(dir.resolve("lab"));
        host = DeployLab.start(dir.resolve("host"));
        // certhost: one folder per certificate under its baseDir, each served by its own nginx block (seeded with an old certificate)
        certhost = host.addBaseDirHost("certhost", List.of(WEB, MAIL));
        certbot = dir.resolve("host/etc/letsencrypt");
        Path hook = dir.resolve("auth-hook.sh");
        Files.writeString(hook, "#!/bin/sh\ncurl -sf -X POST -d '{\"host\":\"_acme-challenge.'\"$CERTBOT_DOMAIN\"'.\",\"value\":\"'\"$CERTBOT_VALIDATION\"'\"}' "
                + lab.dns.managementUrl() + "/set-txt\n");
        hook.toFile().setExecutable(true);
        certbot("certonly", "--webroot", "-w", lab.webroot.toString(), "-d", WEB, "--key-type", "ecdsa");
        certbot("renew", "--cert-name", WEB, "--force-renewal");
        certbot("certonly", "--manual", "--preferred-challenges", "dns", "--manual-auth-hook", hook.toString(), "-d", MAIL,
                "--key-type", "rsa", "--rsa-key-size", "2048");
        pebbleRoot = Files.writeString(dir.resolve("pebble-root.pem"), lab.primary.rootsPem());
    }

    private static void certbot(String... args) throws Exception {
        new CertbotRunner(dir, certbot, lab.primary.directoryUrl(), lab.primary.trustAnchorPem()).run(args);
    }

    @AfterAll
    static void stop() {
        if (host != null) host.close();
        if (lab != null) lab.close();
    }

    /** A workspace whose host {@code certhost} is this machine reached over SSH (known host key, user key), with nginx's test and reload. */
    private static Path workspace(String name) throws Exception {
        Path root = dir.resolve(name);
        String entry = "- { id: certhost, address: 127.0.0.1, port: " + certhost.port() + ", user: " + certhost.user() + ", identity: " + certhost.identity().orElseThrow()
                + ", knownHosts: ssh/known_hosts, baseDir: " + certhost.certDir() + ", webroot: " + lab.webroot
                + ", test: \"" + certhost.testCommand() + "\", reload: \"" + certhost.reloadCommand() + "\" }";
        lab.workspace(root, entry, "[]", lab.primary.directoryUrl(), lab.secondary.directoryUrl(), Clock.systemUTC()).close();
        host.sshd().writeKnownHosts(root.resolve("ssh/known_hosts"));
        return root;
    }

    private static CliRun certops(Map<String, String> env, Path ws, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--workspace", ws.toString()));
        return CliRun.run(env, "", a.toArray(String[]::new));
    }

    /** Deploys {@code id} to certhost, proved on its own nginx block with its own name as SNI. */
    private static void deployTo(Path ws, String id) throws Exception {
        int port = host.endpoint(id).port();
        String yaml = Files.readString(ws.resolve("certops.yaml"));
        String names = "    names: [" + id + "]\n";
        assertThat(yaml).contains(names);
        Files.writeString(ws.resolve("certops.yaml"), yaml.replace(names, names + "    deploy: { waves: [[certhost]] }\n"
                + "    endpoints: [{ host: 127.0.0.1, port: " + port + ", sni: " + id + " }]\n"));
    }

    /** What openssl sees on the certificate's nginx block: verified against Pebble's root with its name, and the leaf served. */
    private static CertificateInfo servedAsOpensslSees(String id) throws Exception {
        OpensslClient.Verdict v = OpensslClient.verify(host.endpoint(id).port(), id, Optional.of(pebbleRoot), Optional.empty());
        assertThat(v.accepted()).as("openssl s_client -verify_return_error -verify_hostname %s:%n%s", id, v.output()).isTrue();
        Matcher pem = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----").matcher(v.output());
        assertThat(pem.find()).as(v.output()).isTrue();
        return CertificateInfo.from(PemReader.readCertificates(pem.group(), "s_client").get(0));
    }

    @Test
    void bothCertbotLineagesComeInOverSshOneRenewedFromPebbleAndDeployedTheOtherDeployedAsImportedAsOpensslSees() throws Exception {
        Path ws = workspace("plain");
        CliRun r = certops(Map.of(), ws, "import", "certbot", "--host", "certhost", "--dir", certbot.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(WEB + ": added to certops.yaml — 2 version(s) stored", MAIL + ": added to certops.yaml — 1 version(s) stored",
                "to do: certbot ran manual hooks");
        assertThat(Files.readString(ws.resolve("certops.yaml"))).contains("names: [" + WEB + "]", "key: ec-p256", "cas: [primary]",
                "challenge: { type: http-01, host: certhost }", "names: [" + MAIL + "]", "key: rsa-2048");
        CliRun check = certops(Map.of(), ws, "config", "check");
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();

        Workspace w = new Workspace(ws);
        CertificateVersions versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.empty()));
        List<CertificateVersions.Version> stored = versions.list(WEB);
        assertThat(stored).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(versions.fullchainPem(stored.get(i))).as("version %d is certbot's archive fullchain%d.pem", i + 1, i + 1)
                    .isEqualTo(Files.readString(certbot.resolve("archive/" + WEB + "/fullchain" + (i + 1) + ".pem")));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.secretsDir().resolve(stored.get(i).keyRef())))).isEqualTo("rw-------");
        }
        assertThat(versions.fullchainPem(versions.list(MAIL).get(0))).isEqualTo(Files.readString(certbot.resolve("archive/" + MAIL + "/fullchain1.pem")));

        // the webroot lineage renews from Pebble: the HTTP-01 token goes over SSH into certhost's webroot (the one certbot used)
        deployTo(ws, WEB);
        CliRun issue = certops(Map.of(), ws, "issue", WEB);
        assertThat(issue.exitCode()).as(issue.out() + issue.err()).isZero();
        CertificateVersions.Version renewed = versions.list(WEB).get(2);
        assertThat(renewed.ca()).isEqualTo("primary");
        CliRun deployWeb = certops(Map.of(), ws, "deploy", WEB);
        assertThat(deployWeb.exitCode()).as(deployWeb.out() + deployWeb.err()).isZero();
        assertThat(deployWeb.out()).contains("certhost: verified");

        // the DNS lineage is deployed as certbot issued it
        deployTo(ws, MAIL);
        CliRun deployMail = certops(Map.of(), ws, "deploy", MAIL);
        assertThat(deployMail.exitCode()).as(deployMail.out() + deployMail.err()).isZero();

        // an old nginx worker may answer for a moment after the reload: poll until openssl sees the deployed serials
        String renewedSerial = CertificateInfo.from(versions.leaf(renewed)).serial();
        String importedSerial = CertificateInfo.from(versions.leaf(versions.list(MAIL).get(0))).serial();
        Poll.until(Duration.ofSeconds(10), () -> servedAsOpensslSees(WEB).serial().equals(renewedSerial), WEB + " serving the renewed serial " + renewedSerial);
        Poll.until(Duration.ofSeconds(10), () -> servedAsOpensslSees(MAIL).serial().equals(importedSerial), MAIL + " serving the imported serial " + importedSerial);
        assertThat(importedSerial).as("certbot's own certificate, not a new one").isEqualTo(CertificateInfo.from(PemReader.readCertificates(
                certbot.resolve("archive/" + MAIL + "/cert1.pem")).get(0)).serial());
    }

    @Test
    void withAWorkspacePassphraseTheImportedKeysAreStoredEncryptedAndStillMatchTheirCertificates() throws Exception {
        Path ws = workspace("encrypted");
        CliRun r = certops(Map.of(Workspace.ENV_PASSPHRASE, PASSPHRASE), ws, "import", "certbot", "--host", "certhost", "--dir", certbot.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();

        Workspace w = new Workspace(ws);
        CertificateVersions versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.of(PASSPHRASE.toCharArray())));
        List<CertificateVersions.Version> stored = versions.list(WEB);
        assertThat(stored).hasSize(2);
        for (CertificateVersions.Version v : stored) {
            Path keyFile = w.secretsDir().resolve(v.keyRef());
            String onDisk = new String(Files.readAllBytes(keyFile), StandardCharsets.ISO_8859_1);
            assertThat(onDisk).as("the key at rest").doesNotContain("PRIVATE KEY");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            var key = versions.secrets().readPrivateKey(v.keyRef());
            var archived = PemReader.readPrivateKey(certbot.resolve("archive/" + WEB + "/privkey" + v.number() + ".pem"), Optional.empty());
            assertThat(key.getEncoded()).as("decrypted with the passphrase, it is certbot's key of version %d", v.number()).isEqualTo(archived.getEncoded());
        }
        assertThatThrownBy(() -> new SecretStore(w.secretsDir(), Optional.empty()).readPrivateKey(stored.get(0).keyRef()))
                .as("without the passphrase the key cannot be used").hasMessageContaining("passphrase");
    }

    @Test
    void acmeShCertificatesOnTheHostComeInOverItsSshSession() throws Exception {
        // acme.sh's home on the host, laid out as acme.sh writes it (format cited in AcmeShHome), in the SSH user's home
        // (the host is this machine): a relative --dir is read there, as acme.sh's default ~/.acme.sh is
        String relative = ".certops-import-test-" + Long.toHexString(System.nanoTime());
        Path inHome = Path.of(System.getProperty("user.home")).resolve(relative);
        try {
            acmeShOnTheHost(new AcmeShHome(inHome), relative);
        } finally {
            try (var files = Files.walk(inHome)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    private void acmeShOnTheHost(AcmeShHome acmeSh, String relativeDir) throws Exception {
        var shop = acmeSh.certificate("shop.ssh-import.test_ecc", "shop.ssh-import.test", List.of("shop.ssh-import.test", "www.shop.ssh-import.test"),
                KeyType.EC_P256, lab.webroot.toString());
        acmeSh.certificate("api.ssh-import.test", "api.ssh-import.test", List.of("api.ssh-import.test"), KeyType.RSA_2048, "dns_cf");
        Path ws = workspace("acmesh");

        CliRun dry = certops(Map.of(), ws, "import", "acme.sh", "--host", "certhost", "--dir", relativeDir, "--dry-run");
        assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
        assertThat(dry.out()).contains("- id: shop.ssh-import.test", "#   api.ssh-import.test  serial", "from host certhost:" + acmeSh.home());
        assertThat(ws.resolve("certs/shop.ssh-import.test")).doesNotExist();

        CliRun r = certops(Map.of(), ws, "import", "acme.sh", "--host", "certhost", "--dir", relativeDir);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("shop.ssh-import.test: added to certops.yaml — 1 version(s) stored",
                "api.ssh-import.test: added to certops.yaml — 1 version(s) stored", "to do: acme.sh used its dns_cf DNS API");
        assertThat(Files.readString(ws.resolve("certops.yaml"))).contains("names: [shop.ssh-import.test, www.shop.ssh-import.test]", "key: ec-p256",
                "challenge: { type: http-01, host: certhost }", "names: [api.ssh-import.test]", "key: rsa-2048");
        CliRun check = certops(Map.of(), ws, "config", "check");
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();

        Workspace w = new Workspace(ws);
        CertificateVersions versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.empty()));
        CertificateVersions.Version v = versions.list("shop.ssh-import.test").get(0);
        assertThat(v.serial()).isEqualTo(shop.info().serial());
        assertThat(((ECPrivateKey) versions.secrets().readPrivateKey(v.keyRef())).getS()).as("acme.sh's key")
                .isEqualTo(((ECPrivateKey) shop.keys().getPrivate()).getS());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.secretsDir().resolve(v.keyRef())))).isEqualTo("rw-------");
        assertThat(versions.list("api.ssh-import.test")).hasSize(1);
    }
}

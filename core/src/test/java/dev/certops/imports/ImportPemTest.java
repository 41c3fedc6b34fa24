package dev.certops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.CertificateVersions;
import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.crypto.SecretStore;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.root.CompositionRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import pem}: a certificate bought from a vendor becomes a stored version; a bad file or a foreign key stores nothing. */
class ImportPemTest {
    static final CertificateBuilder.Issued VENDOR = CertificateBuilder.ca("Vendor Commercial CA").build();
    static final CertificateBuilder.Issued BOUGHT = CertificateBuilder.leaf("shop.example.test", "www.shop.example.test").signedBy(VENDOR).build();
    static final CertificateBuilder.Issued OTHER = CertificateBuilder.leaf("shop.example.test").signedBy(VENDOR).build();
    @TempDir Path dir;
    String ws;
    Path fullchain;
    Path key;

    @BeforeEach
    void workspace() throws Exception {
        Path w = dir.resolve("ws");
        new Workspace(w).create();
        Files.writeString(new Workspace(w).configFile(), "certificates:\n  - id: shop\n    names: [shop.example.test, www.shop.example.test]\n");
        ws = w.toString();
        fullchain = dir.resolve("fullchain.pem");
        key = dir.resolve("key.pem");
        Files.writeString(fullchain, PemWriter.certificates(List.of(BOUGHT.certificate(), VENDOR.certificate())));
        Files.writeString(key, PemWriter.privateKey(BOUGHT.keys().getPrivate(), Optional.empty()));
    }

    private List<CertificateVersions.Version> versions() throws Exception {
        Workspace w = new Workspace(Path.of(ws));
        return new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.empty())).list("shop");
    }

    @Test
    void aBoughtCertificateIsStoredAsAVersionWithItsKeyAndRecordedSoTheBudgetSeesIt() throws Exception {
        CliRun r = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), key.toString(), "--workspace", ws);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("shop: version 1 stored").contains("issued by Vendor Commercial CA").contains("Renewal is manual")
                .contains("Next: ./certops deploy shop");
        List<CertificateVersions.Version> v = versions();
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.serial()).isEqualTo(BOUGHT.info().serial());
            assertThat(x.ca()).isEqualTo("manual");
            assertThat(x.issuedAt()).isEqualTo(BOUGHT.info().notBefore());
        });
        Path keyFile = Path.of(ws, "secrets", v.get(0).keyRef());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        try (CompositionRoot s = new CompositionRoot(new Workspace(Path.of(ws)), Map.of(), Clock.systemUTC())) {
            List<String> kinds = new ArrayList<>();
            s.history().forEach(EventQuery.all(), e -> kinds.add(e.kind()));
            assertThat(kinds).contains(EventKinds.IMPORT_VERSION, EventKinds.RATELIMIT_IMPORTED);
        }
        CliRun again = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), key.toString(), "--workspace", ws);
        assertThat(again.out()).contains("already stored — nothing changed");
        assertThat(versions()).hasSize(1);
    }

    @Test
    void renewLeavesADueImportedCertificateToAPersonAndSaysWhenItIsDue() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        var due = CertificateBuilder.leaf("shop.example.test", "www.shop.example.test").signedBy(VENDOR)
                .validity(now.minus(java.time.Duration.ofDays(80)), now.plus(java.time.Duration.ofDays(10))).build();
        Files.writeString(fullchain, PemWriter.certificates(List.of(due.certificate(), VENDOR.certificate())));
        Files.writeString(key, PemWriter.privateKey(due.keys().getPrivate(), Optional.empty()));
        assertThat(CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), key.toString(), "--workspace", ws).exitCode()).isZero();

        CliRun dry = CliRun.run("renew", "--dry-run", "--workspace", ws);
        assertThat(dry.out() + dry.err()).contains("renewal is manual (imported with `import pem`): due since", "renew it with its vendor",
                "certops import pem --cert shop FULLCHAIN KEY");
        CliRun real = CliRun.run("renew", "--workspace", ws);
        assertThat(real.exitCode()).as("a warning: a person must act").isEqualTo(1);
        assertThat(real.err()).as("nothing is ordered from an ACME CA").contains("WARNING: shop not renewed: renewal is manual").doesNotContain("no CA issued");
        assertThat(versions()).as("still only the imported version").hasSize(1);
    }

    @Test
    void aKeyThatIsNotTheCertificatesStoresNothingAndSaysWhichKeyIsNeeded() throws Exception {
        Files.writeString(key, PemWriter.privateKey(OTHER.keys().getPrivate(), Optional.empty()));
        CliRun r = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), key.toString(), "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is not the key of the certificate in " + fullchain).contains("nothing was stored");
        assertThat(versions()).isEmpty();
        assertThat(Path.of(ws, "secrets")).isEmptyDirectory();
    }

    @Test
    void malformedPemStoresNothingAndNamesTheFile() throws Exception {
        Files.writeString(fullchain, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        CliRun r = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), key.toString(), "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(fullchain.toString()).contains("nothing was stored");
        assertThat(versions()).isEmpty();
    }

    @Test
    void aCertificateThatDoesNotCoverTheConfiguredNamesIsRefused() throws Exception {
        Files.writeString(fullchain, PemWriter.certificates(List.of(OTHER.certificate(), VENDOR.certificate())));
        Files.writeString(key, PemWriter.privateKey(OTHER.keys().getPrivate(), Optional.empty()));
        CliRun r = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), key.toString(), "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("does not cover www.shop.example.test");
        assertThat(versions()).isEmpty();
    }

    /** The vendor's key encrypted with its own passphrase by the real openssl: {@code pkcs8 -topk8 -v2 aes-256-cbc} or the traditional {@code ec -aes256}. */
    private Path encryptedKey(boolean pkcs8, String passphrase) throws Exception {
        Path pass = Files.writeString(dir.resolve("openssl-pass"), passphrase + "\n");
        Path out = dir.resolve(pkcs8 ? "key-pkcs8-encrypted.pem" : "key-traditional-encrypted.pem");
        List<String> cmd = pkcs8 ? List.of("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", key.toString(), "-out", out.toString(), "-passout", "file:" + pass)
                : List.of("openssl", "ec", "-in", key.toString(), "-aes256", "-out", out.toString(), "-passout", "file:" + pass);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(said).isZero();
        Files.delete(pass);
        assertThat(Files.readString(out)).contains(pkcs8 ? "BEGIN ENCRYPTED PRIVATE KEY" : "Proc-Type: 4,ENCRYPTED");
        return out;
    }

    private Path passphraseFile(String passphrase) throws Exception {
        Path f = dir.resolve("key-passphrase");
        Files.writeString(f, passphrase + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /** Every file under the workspace, as text: where a passphrase must never end up (logs, history, secrets). */
    private String everythingIn(Path root) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    @Test
    void aKeyEncryptedWithItsOwnPassphraseAsPkcs8OrTraditionalPemIsImportedWithThePassphraseFromAFile() throws Exception {
        String secret = "vendor-key-passphrase-7Qx";
        for (boolean pkcs8 : List.of(true, false)) {
            Path enc = encryptedKey(pkcs8, secret);
            Path w = dir.resolve(pkcs8 ? "ws-pkcs8" : "ws-traditional");
            new Workspace(w).create();
            Files.writeString(new Workspace(w).configFile(), "certificates:\n  - id: shop\n    names: [shop.example.test, www.shop.example.test]\n");
            CliRun r = CliRun.run(Map.of(Workspace.ENV_PASSPHRASE, "workspace-passphrase"), "", "import", "pem", "--cert", "shop", fullchain.toString(), enc.toString(),
                    "--key-passphrase-file", passphraseFile(secret).toString(), "--workspace", w.toString());
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("shop: version 1 stored").contains("stored encrypted with the workspace passphrase, mode 0600");
            Workspace ws = new Workspace(w);
            var stored = new CertificateVersions(ws, new SecretStore(ws.secretsDir(), Optional.of("workspace-passphrase".toCharArray())));
            CertificateVersions.Version v = stored.list("shop").get(0);
            Path keyFile = ws.secretsDir().resolve(v.keyRef());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            assertThat(Files.readString(keyFile, StandardCharsets.ISO_8859_1)).as("at rest").doesNotContain("PRIVATE KEY");
            assertThat(((ECPrivateKey) stored.secrets().readPrivateKey(v.keyRef())).getS())
                    .as("the vendor's key, decrypted with the workspace passphrase").isEqualTo(((ECPrivateKey) BOUGHT.keys().getPrivate()).getS());
            assertThat(r.out() + r.err() + everythingIn(w)).as("the key's passphrase is nowhere").doesNotContain(secret);
        }
    }

    @Test
    void anEncryptedKeyWithoutItsPassphraseOrWithAWrongOneSaysSoAndStoresNothing() throws Exception {
        Path enc = encryptedKey(true, "the-right-one");
        CliRun none = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), enc.toString(), "--workspace", ws);
        assertThat(none.exitCode()).isEqualTo(64);
        assertThat(none.err()).contains(enc + " is encrypted with its own passphrase, and none was given")
                .contains("--key-passphrase-file FILE").contains("nothing was stored").doesNotContain("CERTOPS_PASSPHRASE");

        Path wrong = passphraseFile("not-the-passphrase");
        CliRun bad = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), enc.toString(), "--key-passphrase-file", wrong.toString(), "--workspace", ws);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains(enc + ": cannot be decrypted with the passphrase given: the passphrase is wrong (read from " + wrong + ")")
                .contains("nothing was stored").doesNotContain("not-the-passphrase\n").doesNotContain("is not the key of");

        Path traditional = encryptedKey(false, "the-right-one");
        CliRun badTraditional = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), traditional.toString(), "--key-passphrase-file", wrong.toString(),
                "--workspace", ws);
        assertThat(badTraditional.err()).contains("the passphrase is wrong");

        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun open = CliRun.run("import", "pem", "--cert", "shop", fullchain.toString(), enc.toString(), "--key-passphrase-file", wrong.toString(), "--workspace", ws);
        assertThat(open.exitCode()).isEqualTo(64);
        assertThat(open.err()).contains("may be read by others").contains("chmod 600 " + wrong);
        assertThat(versions()).isEmpty();
        assertThat(Path.of(ws, "secrets")).isEmptyDirectory();
    }

    @Test
    void anUnknownIdGetsAReadyEntryToAdd() {
        CliRun r = CliRun.run("import", "pem", "--cert", "store", fullchain.toString(), key.toString(), "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(64);
        assertThat(r.err()).contains("  - id: store\n    names: [shop.example.test, www.shop.example.test]");
    }
}

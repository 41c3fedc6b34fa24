package dev.certops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.CertificateVersions;
import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.PemWriter;
import dev.certops.crypto.SecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import acme.sh} from acme.sh's home, built here because acme.sh is not packaged in Debian. The
 * layout follows acme.sh itself (https://github.com/acmesh-official/acme.sh, script {@code acme.sh}:
 * {@code DOMAIN_PATH="$CERT_HOME/$domain"} with {@code _ecc} appended for ECDSA keys,
 * {@code CERT_PATH=$DOMAIN_PATH/$domain.cer}, {@code CERT_KEY_PATH=$DOMAIN_PATH/$domain.key},
 * {@code CA_CERT_PATH=$DOMAIN_PATH/ca.cer}, {@code CERT_FULLCHAIN_PATH=$DOMAIN_PATH/fullchain.cer}, and
 * {@code DOMAIN_CONF=$DOMAIN_PATH/$domain.conf} written by {@code _savedomainconf} as {@code Le_Domain='…'},
 * {@code Le_Alt}, {@code Le_Webroot} (a path, {@code dns_xx} or {@code no}), {@code Le_Keylength}, {@code Le_API};
 * documented in its wiki page "How to issue a cert" / "How to install the cert").
 */
class AcmeShImportTest {
    @TempDir Path dir;

    private void certificate(Path home, String folder, String domain, List<String> names, KeyType key, String webroot) throws Exception {
        var ca = CertificateBuilder.ca("acme.sh Test CA").build();
        var leaf = CertificateBuilder.leaf(names.toArray(String[]::new)).key(key).signedBy(ca).build();
        Path d = Files.createDirectories(home.resolve(folder));
        Files.writeString(d.resolve(domain + ".conf"), "Le_Domain='" + domain + "'\nLe_Alt='" + (names.size() > 1 ? String.join(",", names.subList(1, names.size())) : "no")
                + "'\nLe_Webroot='" + webroot + "'\nLe_PreHook=''\nLe_Keylength='" + (key == KeyType.EC_P256 ? "ec-256" : "2048")
                + "'\nLe_API='https://acme.example.test/directory'\nLe_CertCreateTime='1764979200'\n");
        Files.writeString(d.resolve(domain + ".cer"), PemWriter.certificate(leaf.certificate()));
        Files.writeString(d.resolve("ca.cer"), PemWriter.certificate(ca.certificate()));
        Files.writeString(d.resolve("fullchain.cer"), PemWriter.certificates(List.of(leaf.certificate(), ca.certificate())));
        Files.writeString(d.resolve(domain + ".key"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
    }

    @Test
    void acmeShCertificatesComeInAsEntriesAndVersions() throws Exception {
        Path home = dir.resolve(".acme.sh");
        certificate(home, "shop.example.test_ecc", "shop.example.test", List.of("shop.example.test", "www.shop.example.test"), KeyType.EC_P256, "/var/www/shop");
        certificate(home, "api.example.test", "api.example.test", List.of("api.example.test"), KeyType.RSA_2048, "dns_cf");
        Files.writeString(home.resolve("account.conf"), "LOG_FILE='/root/.acme.sh/acme.sh.log'\n");
        Path ws = dir.resolve("ws");
        new Workspace(ws).create();
        Files.writeString(new Workspace(ws).configFile(), "hosts:\n  - { id: shopweb, address: local, certDir: " + dir.resolve("live") + ", webroot: /var/www/shop }\n");

        CliRun dry = CliRun.run("import", "acme.sh", "--dir", home.toString(), "--dry-run", "--workspace", ws.toString());
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("- id: shop.example.test").contains("#   api.example.test  serial");
        assertThat(ws.resolve("certs/shop.example.test")).doesNotExist();

        CliRun r = CliRun.run("import", "acme.sh", "--dir", home.toString(), "--workspace", ws.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("shop.example.test: added to certops.yaml — 1 version(s) stored")
                .contains("to do: acme.sh used its dns_cf DNS API");
        String config = Files.readString(new Workspace(ws).configFile());
        assertThat(config).contains("names: [shop.example.test, www.shop.example.test]").contains("key: ec-p256")
                .contains("challenge: { type: http-01, host: shopweb }").contains("names: [api.example.test]").contains("key: rsa-2048")
                .contains("# issued by https://acme.example.test/directory: add that CA under cas:");
        assertThat(CliRun.run("config", "check", "--workspace", ws.toString()).exitCode()).isZero();
        Workspace w = new Workspace(ws);
        var versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.empty()));
        assertThat(versions.list("shop.example.test")).singleElement().satisfies(v -> assertThat(v.ca()).isEqualTo("acme.sh"));
        assertThat(versions.list("api.example.test")).hasSize(1);
    }
}

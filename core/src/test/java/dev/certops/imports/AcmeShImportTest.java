package dev.certops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.CertificateVersions;
import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.SecretStore;
import dev.certops.testing.AcmeShHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import acme.sh} from acme.sh's home, built here because acme.sh is not packaged in Debian: the
 * layout and the {@code DOMAIN.conf} keys follow acme.sh's own script and wiki, cited in {@link AcmeShHome}.
 */
class AcmeShImportTest {
    @TempDir Path dir;

    @Test
    void acmeShCertificatesComeInAsEntriesAndVersions() throws Exception {
        AcmeShHome acmeSh = new AcmeShHome(dir.resolve(".acme.sh"));
        Path home = acmeSh.home();
        acmeSh.certificate("shop.example.test_ecc", "shop.example.test", List.of("shop.example.test", "www.shop.example.test"), KeyType.EC_P256, "/var/www/shop");
        acmeSh.certificate("api.example.test", "api.example.test", List.of("api.example.test"), KeyType.RSA_2048, "dns_cf");
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

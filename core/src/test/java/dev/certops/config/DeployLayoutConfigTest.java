package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.deploy.ServerSnippets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** baseDir:, per-certificate folders, deploy: layout keys (files, owner, group, mode, password), sudo:. */
class DeployLayoutConfigTest {
    private static final Path FILE = Path.of("/ws/certops.yaml");

    private static CertopsConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(FILE, yaml);
    }

    private static String twoCertificatesOn(String hostFolder, String apiDeployExtra) {
        return """
                hosts:
                  - { id: web1, address: 10.0.0.5, user: deploy, %s }
                certificates:
                  - id: api
                    names: [api.example.com]
                    deploy: { waves: [[web1]]%s }
                  - id: shop
                    names: [shop.example.com]
                    deploy: { waves: [[web1]] }
                """.formatted(hostFolder, apiDeployExtra);
    }

    @Test
    void eachCertificateGetsItsOwnFolderUnderTheHostsBaseDir() throws Exception {
        CertopsConfig c = parse(twoCertificatesOn("baseDir: /etc/ssl/certops/, sudo: true", ""));
        HostConfig web1 = c.host("web1").orElseThrow();
        assertThat(web1.certDirFor(c.certificate("api").orElseThrow())).isEqualTo("/etc/ssl/certops/api");
        assertThat(web1.certDirFor(c.certificate("shop").orElseThrow())).isEqualTo("/etc/ssl/certops/shop");
        assertThat(web1.sudo()).isTrue();
    }

    @Test
    void anExplicitCertDirThatTwoCertificatesShareIsRefusedNamingBoth() {
        assertThatThrownBy(() -> parse(twoCertificatesOn("certDir: /etc/ssl/certops", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("certificates 'api' and 'shop' both deploy to /etc/ssl/certops on host 'web1'")
                .hasMessageContaining("baseDir:");
    }

    @Test
    void aCertificatesOwnCertDirThatCollidesWithAnotherCertificatesFolderIsRefused() {
        assertThatThrownBy(() -> parse(twoCertificatesOn("baseDir: /etc/ssl/certops", ", certDir: /etc/ssl/certops/shop")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'api' and 'shop' both deploy to /etc/ssl/certops/shop");
    }

    @Test
    void aHostNeedsBaseDirOrCertDirButNotBoth() {
        assertThatThrownBy(() -> parse("hosts:\n  - { id: web1, address: 10.0.0.5 }\n"))
                .hasMessageContaining("'baseDir' is missing");
        assertThatThrownBy(() -> parse("hosts:\n  - { id: web1, address: 10.0.0.5, baseDir: /a, certDir: /b }\n"))
                .hasMessageContaining("not both");
    }

    @Test
    void deploySectionReadsFilesOwnerGroupModeAndAKeystorePasswordReference() throws Exception {
        CertopsConfig c = parse(twoCertificatesOn("baseDir: /srv/certs",
                ", files: [fullchain, privkey, pkcs12, jks], owner: root, group: ssl-cert, mode: \"0640\", password: \"secret:ks\", alias: tomcat"));
        DeploymentConfig d = c.certificate("api").orElseThrow().deployment();
        assertThat(d.files()).containsExactly("fullchain", "privkey", "pkcs12", "jks");
        assertThat(d.owner()).contains("root");
        assertThat(d.group()).contains("ssl-cert");
        assertThat(d.effectiveKeyMode()).isEqualTo(0640);
        assertThat(d.password().orElseThrow().name()).contains("ks");
        assertThat(c.certificate("shop").orElseThrow().deployment().effectiveKeyMode()).isEqualTo(0600);
    }

    @Test
    void aKeystoreWithoutAPasswordReferenceOrWithALiteralPasswordIsRefused() {
        assertThatThrownBy(() -> parse(twoCertificatesOn("baseDir: /srv/certs", ", files: [pkcs12]")))
                .hasMessageContaining("add password: secret:NAME");
        assertThatThrownBy(() -> parse(twoCertificatesOn("baseDir: /srv/certs", ", files: [jks], password: hunter2")))
                .hasMessageContaining("must be a secret:NAME reference")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aKeyModeReadableByEveryoneAndAnUnknownFormatAreRefused() {
        assertThatThrownBy(() -> parse(twoCertificatesOn("baseDir: /srv/certs", ", mode: \"0644\"")))
                .hasMessageContaining("lets every user read the private key");
        assertThatThrownBy(() -> parse(twoCertificatesOn("baseDir: /srv/certs", ", files: [pfx]")))
                .hasMessageContaining("allowed: cert, chain, fullchain, privkey, combined, pkcs12, jks");
    }

    @Test
    void snippetPrintsEachCertificatesFolderAndLiveFiles() throws Exception {
        CertopsConfig c = parse(twoCertificatesOn("baseDir: /etc/ssl/certops, service: haproxy", ""));
        String s = ServerSnippets.forHost(c.host("web1").orElseThrow(), c.certificates());
        assertThat(s).contains("api (api.example.com) — releases in /etc/ssl/certops/api/releases",
                "ssl_certificate     /etc/ssl/certops/api/live/fullchain.pem;",
                "bind :443 ssl crt /etc/ssl/certops/shop/live/combined.pem",
                "SSLCertificateKeyFile /etc/ssl/certops/shop/live/privkey.pem");
        assertThat(List.of(s.split("\n"))).filteredOn(l -> l.startsWith("# ── ")).hasSize(2);
    }
}

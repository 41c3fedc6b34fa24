package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.crypto.KeyType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final Path FILE = Path.of("/ws/certops.yaml");

    private static CertopsConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(FILE, yaml);
    }

    private static final String FULL = """
            resolvers: ["127.0.0.1:5353"]
            cas:
              - id: letsencrypt
                directory: https://acme-v02.api.letsencrypt.org/directory
                staging: https://acme-staging-v02.api.letsencrypt.org/directory
                trust: ca/extra-root.pem
                contact: mailto:ops@example.com
                agreeToTerms: true
                limits: letsencrypt
              - id: zerossl
                directory: https://acme.zerossl.com/v2/DV90
                agreeToTerms: true
                eab: { kid: "kid-1", hmac: "secret:zerossl-eab" }
                limits: { preset: none, newOrdersPerAccount: { capacity: 300, refill: "1/36s" } }
            dns:
              - id: lab
                type: challtestsrv
                url: http://127.0.0.1:8055
            hosts:
              - id: web1
                drill: true
                address: 10.0.0.5
                user: deploy
                identity: ssh/id_ed25519
                knownHosts: ssh/known_hosts
                service: nginx
                reload: "systemctl reload nginx"
                certDir: /etc/ssl/certops/
                webroot: /var/www/acme
              - id: web2
                address: web2.example.com
                port: 2222
                certDir: /etc/ssl/certops
            certificates:
              - id: api
                names: [API.example.com, www.example.com]
                key: rsa-3072
                challenge: { type: http-01, host: web1 }
                cas: [zerossl, letsencrypt]
                deploy: { waves: [[web1], [web2]] }
                endpoints: ["api.example.com:443", { host: 10.0.0.5, port: 8443 }]
                renewBefore: 20d
              - id: wild
                names: ["*.example.com"]
                challenge: { type: dns-01, dns: lab }
            endpoints: ["legacy.example.com:443"]
            thresholds: { warning: 21d, critical: 10d, emergency: 3d }
            """;

    @Test
    void readsEverySectionOfAFullConfiguration() throws Exception {
        CertopsConfig c = parse(FULL);
        assertThat(c.resolvers()).containsExactly("127.0.0.1:5353");
        assertThat(c.cas()).extracting(CaConfig::id).containsExactly("letsencrypt", "zerossl");
        assertThat(c.ca("zerossl").orElseThrow().eab().orElseThrow().hmac().name()).contains("zerossl-eab");
        assertThat(c.ca("zerossl").orElseThrow().limitOverrides()).containsKey("newOrdersPerAccount");
        assertThat(c.host("web1").orElseThrow().certDir()).isEqualTo("/etc/ssl/certops");
        assertThat(c.host("web2").orElseThrow().port()).isEqualTo(2222);
        assertThat(c.host("web2").orElseThrow().knownHosts()).contains("ssh/known_hosts");
        CertificateConfig api = c.certificate("api").orElseThrow();
        assertThat(api.names()).containsExactly("api.example.com", "www.example.com");
        assertThat(api.key()).isEqualTo(KeyType.RSA_3072);
        assertThat(api.waves()).containsExactly(java.util.List.of("web1"), java.util.List.of("web2"));
        assertThat(api.endpoints()).containsExactly(new Endpoint("api.example.com", 443, "api.example.com"),
                new Endpoint("10.0.0.5", 8443, "api.example.com"));
        assertThat(c.casFor(api)).extracting(CaConfig::id).containsExactly("zerossl", "letsencrypt");
        assertThat(c.certificate("wild").orElseThrow().key()).isEqualTo(KeyType.EC_P256);
        assertThat(c.thresholds().critical()).isEqualTo(java.time.Duration.ofDays(10));
    }

    @Test
    void monitoringOnlyWorkspaceNeedsOnlyCertificatesAndEndpoints() throws Exception {
        CertopsConfig c = parse("""
                certificates:
                  - id: shop
                    names: [shop.example.com]
                    endpoints: ["shop.example.com:443"]
                """);
        assertThat(c.certificates()).hasSize(1);
        assertThat(c.cas()).isEmpty();
    }

    @Test
    void emptyFileIsAnEmptyConfiguration() throws Exception {
        assertThat(parse("# nothing yet\n").certificates()).isEmpty();
    }

    @Test
    void theExampleWrittenByInitIsValid() throws Exception {
        try (InputStream in = Workspace.class.getResourceAsStream("certops.example.yaml")) {
            assertThat(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).certificates()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level section      | certificats: []                                                           | 1 | certificats: unknown key — allowed here: alerts, cas, certificates, dns, endpoints, history, hosts, renew, resolvers, thresholds
            broken YAML                    | 'cas:\\n  - id: a\\n   directory: x'                                        | 3 | is not valid YAML
            CA without directory           | 'cas:\\n  - id: le\\n    agreeToTerms: true'                               | 2 | cas[0]: 'directory' is missing
            CA directory not https         | 'cas:\\n  - id: le\\n    directory: http://ca.example/dir'                 | 3 | cas[0].directory: 'http://ca.example/dir' is not an https URL
            duplicate CA id                | 'cas:\\n  - id: le\\n    directory: https://a/d\\n  - id: le\\n    directory: https://b/d' | 4 | cas[1].id: 'le' is used by another CA
            EAB hmac written inline        | 'cas:\\n  - id: z\\n    directory: https://z/d\\n    eab: { kid: k, hmac: abc }' | 4 | cas[0].eab.hmac: must be a secret: reference
            unknown rate-limit preset      | 'cas:\\n  - id: z\\n    directory: https://z/d\\n    limits: letsencrypt-prod' | 4 | 'letsencrypt-prod' is not a rate-limit preset — allowed: letsencrypt, letsencrypt-staging, none
            unknown key type               | 'certificates:\\n  - id: a\\n    names: [a.example.com]\\n    key: ec-p521' | 4 | certificates[0].key: 'ec-p521' is not a key type — allowed: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096
            wildcard with http-01          | 'hosts:\\n  - id: w\\n    address: local\\n    certDir: /tmp/c\\n    webroot: /tmp/w\\ncertificates:\\n  - id: a\\n    names: [\"*.example.com\"]\\n    challenge: { type: http-01, host: w }' | 8 | a wildcard name needs DNS-01
            wave names an unknown host     | 'certificates:\\n  - id: a\\n    names: [a.example.com]\\n    deploy: { waves: [[web9]] }' | 4 | 'web9' is not a host id — known: (none defined)
            certDir with ..                | 'hosts:\\n  - id: w\\n    address: 10.0.0.1\\n    certDir: /etc/../root'   | 4 | hosts[0].certDir: '/etc/../root' contains '..'
            certDir with shell characters  | 'hosts:\\n  - id: w\\n    address: 10.0.0.1\\n    certDir: \"/etc/ssl/$(reboot)\"' | 4 | contains characters that are not allowed in a path
            host id with a semicolon       | 'hosts:\\n  - id: \"web;rm\"\\n    address: 10.0.0.1\\n    certDir: /etc/c' | 2 | hosts[0].id: 'web;rm' is not a valid id
            endpoint without port          | 'endpoints: [\"legacy.example.com\"]'                                      | 1 | endpoints[0]: 'legacy.example.com' is not an endpoint
            port out of range              | 'hosts:\\n  - id: w\\n    address: 10.0.0.1\\n    port: 70000\\n    certDir: /etc/c' | 4 | hosts[0].port: 70000 is out of range — allowed: 1 to 65535
            thresholds out of order        | 'thresholds: { warning: 7d, critical: 15d }'                                | 1 | thresholds: must satisfy warning > critical > emergency
            bad duration                   | 'thresholds: { warning: 30 days }'                                         | 1 | thresholds.warning: '30 days' is not a duration
            http-01 host without webroot   | 'hosts:\\n  - id: w\\n    address: 10.0.0.1\\n    certDir: /etc/c\\ncertificates:\\n  - id: a\\n    names: [a.example.com]\\n    challenge: { type: http-01, host: w }' | 8 | host 'w' has no webroot
            typo in a certificate key      | 'certificates:\\n  - id: a\\n    name: [a.example.com]'                     | 3 | certificates[0].name: unknown key — allowed here:
            """)
    void malformedConfigurationIsRejectedWithFileLineAndKey(String scenario, String yaml, int line, String expected) {
        String text = yaml.replace("\\n", "\n");
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/ws/certops.yaml:" + line + ": ")
                .hasMessageContaining(expected);
    }

    @Test
    void missingFileSaysHowToCreateAWorkspace() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/certops.yaml")))
                .hasMessageContaining("certops init");
    }
}

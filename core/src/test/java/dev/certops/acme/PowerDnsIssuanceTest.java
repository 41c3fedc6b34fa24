package dev.certops.acme;

import dev.certops.acme.dns.DnsProvider;
import dev.certops.acme.dns.DnsProviderException;
import dev.certops.acme.dns.DnsProviders;
import dev.certops.acme.dns.Resolvers;
import dev.certops.config.DnsConfig;
import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.PebbleFixture;
import dev.certops.testing.PowerDnsFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DNS-01 through a real PowerDNS (Debian pdns-server, gsqlite3 backend, HTTP API): the provider
 * writes through the API, certops waits on the zone's authoritative server, and Pebble resolves
 * through that same PowerDNS to validate.
 */
class PowerDnsIssuanceTest {
    @TempDir static Path dir;
    static PowerDnsFixture pdns;
    static PebbleFixture pebble;

    @BeforeAll static void start() throws Exception {
        pdns = PowerDnsFixture.start(Files.createDirectories(dir.resolve("pdns")), List.of("127.0.0.1"), FreePort.tcpAndUdp());
        pdns.createZone("example.test", Map.of("ns1.example.test.", "127.0.0.1"), List.of(
                "_acme-challenge.delegated.example.test. CNAME hop.example.test.", "hop.example.test. CNAME delegated.acme.test."));
        pdns.createZone("acme.test", Map.of("ns1.acme.test.", "127.0.0.1"), List.of());
        pebble = PebbleFixture.builder(dir.resolve("pebble")).dnsPort(pdns.dnsPort()).start();
    }

    @AfterAll static void stop() {
        if (pebble != null) pebble.close();
        if (pdns != null) pdns.close();
    }

    private static Map<String, String> settings(String apiKeySecret) {
        return Map.of("url", pdns.apiUrl(), "apiKey", apiKeySecret, "nameserverPort", String.valueOf(pdns.dnsPort()),
                "pollInterval", "100ms");
    }

    private static DnsProvider provider(String key) throws DnsProviderException {
        return DnsProviders.build(new DnsConfig("pdns", "powerdns", settings("secret:pdns-key"), 7),
                n -> key.getBytes(StandardCharsets.US_ASCII), Resolvers.of(List.of(pdns.dnsHostPort())));
    }

    @Test
    void issuesFromPebbleThroughThePowerDnsApiAlsoAlongACnameChainOfTwo() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                resolvers: ["%s"]
                cas:
                  - { id: pebble, directory: %s, trust: %s, agreeToTerms: true }
                dns:
                  - { id: pdns, type: powerdns, url: "%s", apiKey: "secret:pdns-key", nameserverPort: "%d", pollInterval: 100ms }
                  - { id: acme, type: powerdns, url: "%s", apiKey: "secret:pdns-key", nameserverPort: "%d", pollInterval: 100ms, zones: acme.test }
                certificates:
                  - { id: api, names: [api.example.test, "*.example.test"], challenge: { type: dns-01, dns: pdns } }
                  - { id: delegated, names: [delegated.example.test], challenge: { type: dns-01, dns: pdns } }
                """.formatted(pdns.dnsHostPort(), pebble.directoryUrl(), pebble.trustAnchorPem(), pdns.apiUrl(), pdns.dnsPort(),
                pdns.apiUrl(), pdns.dnsPort()));
        CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
        session.secrets().write("pdns-key", pdns.apiKey().getBytes(StandardCharsets.US_ASCII));

        CertificateVersions.Version v = session.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("api"), IssuanceListener.NONE);

        assertThat(v.number()).isEqualTo(1);
        String zone = pdns.send("GET", "/api/v1/servers/localhost/zones/example.test.", null).body();
        assertThat(zone).as("the challenge records are removed after validation").doesNotContain("\"TXT\"");
        assertThat(Files.readString(ws.configFile())).doesNotContain(pdns.apiKey());

        List<String> steps = new java.util.ArrayList<>();
        CertificateVersions.Version d = session.operations().issuance(FailoverPolicy.defaults())
                .issue(IssueRequest.of("delegated"), (ca, stage, msg) -> steps.add(msg));
        assertThat(d.number()).isEqualTo(1);
        assertThat(steps).anyMatch(m -> m.contains("_acme-challenge.delegated.example.test. → hop.example.test. → delegated.acme.test."
                + " (written by dns provider 'acme') published and visible on ns1.acme.test. (127.0.0.1:" + pdns.dnsPort() + ")"));
        assertThat(pdns.send("GET", "/api/v1/servers/localhost/zones/acme.test.", null).body()).doesNotContain("delegated.acme.test");
    }

    @Test
    void aNameAndItsWildcardShareTheTxtRrsetAndCleanUpKeepsTheOther() throws Exception {
        DnsProvider p = provider(pdns.apiKey());
        String fqdn = "_acme-challenge.shared.example.test.";
        p.present(fqdn, "for-name");
        p.present(fqdn, "for-wildcard");

        p.cleanUp(fqdn, "for-name");

        String zone = pdns.send("GET", "/api/v1/servers/localhost/zones/example.test.", null).body();
        assertThat(zone).contains("\\\"for-wildcard\\\"").doesNotContain("for-name");
        p.cleanUp(fqdn, "for-wildcard");
        assertThat(pdns.send("GET", "/api/v1/servers/localhost/zones/example.test.", null).body()).doesNotContain("shared");
    }

    @Test
    void aWrongApiKeyIsReportedWithoutTheKey() throws Exception {
        DnsProvider p = provider("not-the-key-123");

        assertThatThrownBy(() -> p.present("_acme-challenge.denied.example.test.", "v"))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("powerdns: GET /api/v1/servers/localhost/zones/example.test. answered HTTP 401")
                .hasMessageContaining("check that secret named by 'apiKey' holds the server's api-key")
                .hasMessageNotContaining("not-the-key-123");
    }

    @Test
    void aNameInNoZoneThePowerDnsServesSaysSo() throws Exception {
        DnsProvider p = provider(pdns.apiKey());

        assertThatThrownBy(() -> p.present("_acme-challenge.www.elsewhere.invalid.", "v"))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("powerdns: cannot find the zone of _acme-challenge.www.elsewhere.invalid. by a SOA walk");
    }
}

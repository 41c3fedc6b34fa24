package dev.certops.acme;

import dev.certops.acme.dns.DnsRouting;
import dev.certops.config.DnsConfig;
import dev.certops.testing.BindFixture;
import dev.certops.testing.BindFixture.Zone;
import dev.certops.testing.FreePort;
import dev.certops.testing.PowerDnsFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CNAME delegation (the acme-dns pattern) through a real BIND (127.0.0.1) and a real PowerDNS
 * (127.0.0.2), both on one port: chains of two CNAMEs that cross from one server to the other, the
 * TXT written at the chain's end by the provider that owns that zone, and loops refused by name.
 *
 * <pre>
 * BIND     example.test   _acme-challenge.www  CNAME mid.relay.test.
 * BIND     relay.test     mid                  CNAME www.acme.test.          (PowerDNS, provider 'acme')
 * PowerDNS fleet.test     _acme-challenge.api  CNAME api.hop.fleet.test.
 * PowerDNS fleet.test     api.hop              CNAME api.delegated.test.     (BIND, provider 'bind-delegated')
 * loops: _acme-challenge.loop.example.test ⇄ back.relay.test (BIND); _acme-challenge.loop.fleet.test ⇄ loop2.fleet.test (PowerDNS)
 * </pre>
 */
class CnameDelegationTest {
    @TempDir static Path dir;
    static BindFixture bind;
    static PowerDnsFixture pdns;

    @BeforeAll static void start() throws Exception {
        int port = FreePort.tcpAndUdp();
        bind = BindFixture.primary(Files.createDirectories(dir.resolve("bind")), "127.0.0.1", port, List.of(
                new Zone("example.test", List.of("_acme-challenge.www IN CNAME mid.relay.test.",
                        "_acme-challenge.loop IN CNAME back.relay.test.", "_acme-challenge.plain IN TXT \"unrelated\"")),
                new Zone("relay.test", List.of("mid IN CNAME www.acme.test.", "back IN CNAME _acme-challenge.loop.example.test.")),
                new Zone("delegated.test", List.of())));
        pdns = PowerDnsFixture.start(Files.createDirectories(dir.resolve("pdns")), List.of("127.0.0.2"), port);
        pdns.createZone("acme.test", Map.of("ns1.acme.test.", "127.0.0.2"), List.of());
        pdns.createZone("fleet.test", Map.of("ns1.fleet.test.", "127.0.0.2"), List.of(
                "_acme-challenge.api.fleet.test. CNAME api.hop.fleet.test.", "api.hop.fleet.test. CNAME api.delegated.test.",
                "_acme-challenge.loop.fleet.test. CNAME loop2.fleet.test.", "loop2.fleet.test. CNAME _acme-challenge.loop.fleet.test."));
    }

    @AfterAll static void stop() {
        if (pdns != null) pdns.close();
        if (bind != null) bind.close();
    }

    private static DnsRouting routing(String certificateProvider) {
        String port = String.valueOf(bind.port());
        List<DnsConfig> providers = List.of(
                new DnsConfig("fleet", "rfc2136", Map.of("server", bind.hostPort(), "tsigKeyName", BindFixture.KEY_NAME,
                        "tsigSecret", "secret:tsig", "nameserverPort", port, "pollInterval", "100ms"), 1),
                new DnsConfig("bind-delegated", "rfc2136", Map.of("server", bind.hostPort(), "tsigKeyName", BindFixture.KEY_NAME,
                        "tsigSecret", "secret:tsig", "zones", "delegated.test", "nameserverPort", port, "pollInterval", "100ms"), 2),
                new DnsConfig("acme", "powerdns", Map.of("url", pdns.apiUrl(), "apiKey", "secret:pdns", "zones", "acme.test",
                        "nameserverPort", port, "pollInterval", "100ms"), 3));
        return new DnsRouting(providers, certificateProvider, name -> (name.equals("tsig") ? bind.tsigSecret() : pdns.apiKey())
                .getBytes(StandardCharsets.US_ASCII), dev.certops.acme.dns.Resolvers.of(List.of(bind.hostPort(), pdns.dnsHostPort())),
                Clock.systemUTC());
    }

    private static List<String> txt(String server, String fqdn) throws Exception {
        String[] hp = server.split(":");
        Message m = new SimpleResolver(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
                .send(Message.newQuery(Record.newRecord(Name.fromString(fqdn), Type.TXT, 1)));
        return m.getSection(Section.ANSWER).stream().filter(r -> r instanceof TXTRecord)
                .map(r -> String.join("", ((TXTRecord) r).getStrings())).toList();
    }

    @Test
    void twoCnamesFromBindIntoPowerDnsPublishAtTheEndThroughTheProviderOwningThatZone() throws Exception {
        ChallengePublisher.Dns dns = new ChallengePublisher.Dns(routing("fleet"));

        String said = dns.publish("www.example.test", "_acme-challenge.www.example.test.", "digest-www");

        assertThat(said).contains("_acme-challenge.www.example.test. → mid.relay.test. → www.acme.test. (written by dns provider 'acme')");
        assertThat(txt(pdns.dnsHostPort(), "www.acme.test.")).containsExactly("digest-www");
        dns.remove("www.example.test", "_acme-challenge.www.example.test.", "digest-www");
        assertThat(txt(pdns.dnsHostPort(), "www.acme.test.")).isEmpty();
    }

    @Test
    void twoCnamesFromPowerDnsIntoBindPublishThroughTheRfc2136ProviderOfTheDelegatedZone() throws Exception {
        ChallengePublisher.Dns dns = new ChallengePublisher.Dns(routing("acme"));

        String said = dns.publish("api.fleet.test", "_acme-challenge.api.fleet.test.", "digest-api");

        assertThat(said).contains("_acme-challenge.api.fleet.test. → api.hop.fleet.test. → api.delegated.test. (written by dns provider 'bind-delegated')");
        assertThat(txt(bind.hostPort(), "api.delegated.test.")).containsExactly("digest-api");
        dns.remove("api.fleet.test", "_acme-challenge.api.fleet.test.", "digest-api");
        assertThat(txt(bind.hostPort(), "api.delegated.test.")).isEmpty();
    }

    @Test
    void aNameWithoutCnameIsPublishedInPlaceByTheCertificatesProvider() throws Exception {
        DnsRouting.Route route = routing("fleet").route("_acme-challenge.plain.example.test.");

        assertThat(route.chain().delegated()).isFalse();
        assertThat(route.provider().id()).isEqualTo("fleet");
        assertThat(route.describe()).isEqualTo("_acme-challenge.plain.example.test. (written by dns provider 'fleet')");
    }

    @Test
    void aCnameLoopInBindIsRefusedNamingTheLoop() {
        ChallengePublisher.Dns dns = new ChallengePublisher.Dns(routing("fleet"));

        assertThatThrownBy(() -> dns.publish("loop.example.test", "_acme-challenge.loop.example.test.", "d"))
                .hasMessageContaining("the CNAMEs from _acme-challenge.loop.example.test. form a loop: "
                        + "_acme-challenge.loop.example.test. → back.relay.test. → _acme-challenge.loop.example.test.")
                .hasMessageContaining("Fix the CNAME records");
    }

    @Test
    void aCnameLoopInPowerDnsIsRefusedNamingTheLoop() {
        ChallengePublisher.Dns dns = new ChallengePublisher.Dns(routing("acme"));

        assertThatThrownBy(() -> dns.publish("loop.fleet.test", "_acme-challenge.loop.fleet.test.", "d"))
                .hasMessageContaining("form a loop: _acme-challenge.loop.fleet.test. → loop2.fleet.test. → _acme-challenge.loop.fleet.test.");
    }
}

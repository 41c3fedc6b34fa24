package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import dev.certops.testing.BindFixture;
import dev.certops.testing.BindFixture.Zone;
import dev.certops.testing.FreePort;
import dev.certops.testing.PowerDnsFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Propagation against reality: zone {@code stale.test} has two authoritative servers — a real BIND
 * (ns1, 127.0.0.1, where certops writes over RFC 2136) and a real PowerDNS (ns2, 127.0.0.2) that holds
 * its own copy and is never told of the change, as a server whose transfers broke keeps answering in
 * the field. Zone {@code pair.test} is served by that PowerDNS on two addresses (ns1 127.0.0.2, ns2
 * 127.0.0.3), both answering from one database. Every server uses the same port, as port 53 would be.
 */
class AuthoritativePropagationTest {
    @TempDir static Path dir;
    static BindFixture bind;
    static PowerDnsFixture pdns;

    @BeforeAll static void start() throws Exception {
        int port = FreePort.tcpAndUdp();
        bind = BindFixture.primary(Files.createDirectories(dir.resolve("bind")), "127.0.0.1", port,
                List.of(new Zone("stale.test", List.of("@ IN NS ns2", "ns2 IN A 127.0.0.2"))));
        pdns = PowerDnsFixture.start(Files.createDirectories(dir.resolve("pdns")), List.of("127.0.0.2", "127.0.0.3"), port);
        pdns.createZone("stale.test", nameservers("stale.test"), List.of("_acme-challenge.www.stale.test. TXT \"old-value\""));
        pdns.createZone("pair.test", Map.of("ns1.pair.test.", "127.0.0.2", "ns2.pair.test.", "127.0.0.3"), List.of());
    }

    private static Map<String, String> nameservers(String zone) {
        Map<String, String> ns = new LinkedHashMap<>();
        ns.put("ns1." + zone + ".", "127.0.0.1");
        ns.put("ns2." + zone + ".", "127.0.0.2");
        return ns;
    }

    @AfterAll static void stop() {
        if (pdns != null) pdns.close();
        if (bind != null) bind.close();
    }

    private static Resolvers lookups() { return Resolvers.of(List.of(bind.hostPort(), pdns.dnsHostPort())); }

    private static DnsProvider powerdns() throws DnsProviderException {
        return DnsProviders.build(new DnsConfig("pdns", "powerdns", Map.of("url", pdns.apiUrl(), "apiKey", "secret:pdns",
                "nameserverPort", String.valueOf(pdns.dnsPort()), "propagationTimeout", "10s", "pollInterval", "100ms"), 3),
                n -> pdns.apiKey().getBytes(StandardCharsets.US_ASCII), lookups());
    }

    private static DnsProvider provider() throws DnsProviderException {
        return DnsProviders.build(new DnsConfig("bind", "rfc2136", Map.of("server", bind.hostPort(),
                "tsigKeyName", BindFixture.KEY_NAME, "tsigSecret", "secret:tsig", "nameserverPort", String.valueOf(bind.port()),
                "propagationTimeout", "10s", "pollInterval", "100ms"), 3), n -> bind.tsigSecret().getBytes(StandardCharsets.US_ASCII));
    }

    private static PropagationChecker checker(DnsProvider p) {
        return DnsProviders.propagation(p, lookups(), Clock.systemUTC());
    }

    @Test
    void waitsUntilEveryAuthoritativeServerOfTheZoneHasTheValue() throws Exception {
        DnsProvider p = powerdns();
        String fqdn = "_acme-challenge.both.pair.test.";
        p.present(fqdn, "fresh-digest");

        PropagationChecker.Seen seen = checker(p).awaitTxt(fqdn, "fresh-digest", DnsProviders.timing(p));

        assertThat(seen.zone()).isEqualTo("pair.test.");
        assertThat(seen.servers()).containsExactlyInAnyOrder("ns1.pair.test. (127.0.0.2:" + pdns.dnsPort() + ")",
                "ns2.pair.test. (127.0.0.3:" + pdns.dnsPort() + ")");
        assertThat(Txt.at("127.0.0.3:" + pdns.dnsPort(), fqdn)).containsExactly("fresh-digest");
    }

    @Test
    void timeoutNamesTheServerStillAnsweringTheOldValue() throws Exception {
        DnsProvider p = provider();
        String fqdn = "_acme-challenge.www.stale.test.";
        p.present(fqdn, "new-value");
        assertThat(Txt.at(bind.hostPort(), fqdn)).containsExactly("new-value");

        assertThatThrownBy(() -> checker(p).awaitTxt(fqdn, "new-value", Duration.ofMillis(600)))
                .isInstanceOf(PropagationTimeoutException.class)
                .hasMessageContaining("was not visible on every authoritative server of zone stale.test. within 600ms")
                .hasMessageContaining("ns2.stale.test. (127.0.0.2:" + bind.port() + ") still answers other values [old-value]")
                .hasMessageContaining("(it is on ns1.stale.test. (127.0.0.1:" + bind.port() + "))")
                .hasMessageNotContaining("ns1.stale.test. (127.0.0.1:" + bind.port() + ") still");
    }

    @Test
    void awaitGoneReturnsOnceTheRecordIsRemovedEverywhere() throws Exception {
        DnsProvider p = powerdns();
        String fqdn = "_acme-challenge.gone.pair.test.";
        p.present(fqdn, "short-lived");
        checker(p).awaitTxt(fqdn, "short-lived", DnsProviders.timing(p));

        p.cleanUp(fqdn, "short-lived");
        checker(p).awaitGone(fqdn, "short-lived", DnsProviders.timing(p));

        assertThat(Txt.at("127.0.0.3:" + pdns.dnsPort(), fqdn)).isEmpty();
    }

    @Test
    void aZoneThatCannotBeFoundIsSaidPlainly() {
        PropagationChecker c = PropagationChecker.authoritative(lookups(), Clock.systemUTC(), bind.port());

        assertThatThrownBy(() -> c.awaitTxt("_acme-challenge.nowhere.invalid.", "v", Duration.ofMillis(200)))
                .isInstanceOf(PropagationTimeoutException.class)
                .hasMessageContaining("the authoritative servers of _acme-challenge.nowhere.invalid. could not be found");
    }
}

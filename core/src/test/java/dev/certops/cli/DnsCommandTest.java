package dev.certops.cli;

import dev.certops.testing.BindFixture;
import dev.certops.testing.BindFixture.Zone;
import dev.certops.testing.FreePort;
import dev.certops.testing.PowerDnsFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code certops dns test} and {@code config check}'s CNAME chains against a real PowerDNS serving
 * {@code pair.test} on two addresses (ns1 127.0.0.2, ns2 127.0.0.3) and a real BIND (127.0.0.1) whose
 * {@code example.test} delegates one challenge name into PowerDNS and has a CNAME loop on another.
 */
class DnsCommandTest {
    @TempDir static Path dir;
    static PowerDnsFixture pdns;
    static BindFixture bind;
    static Path ws;

    @BeforeAll static void start() throws Exception {
        int port = FreePort.tcpAndUdp();
        pdns = PowerDnsFixture.start(Files.createDirectories(dir.resolve("pdns")), List.of("127.0.0.2", "127.0.0.3"), port);
        pdns.createZone("pair.test", Map.of("ns1.pair.test.", "127.0.0.2", "ns2.pair.test.", "127.0.0.3"), List.of());
        bind = BindFixture.primary(Files.createDirectories(dir.resolve("bind")), "127.0.0.1", port, List.of(new Zone("example.test", List.of(
                "_acme-challenge.www IN CNAME www.pair.test.", "_acme-challenge.loop IN CNAME loop2", "loop2 IN CNAME _acme-challenge.loop"))));
        ws = dir.resolve("ws");
        assertThat(CliRun.run("--workspace", ws.toString(), "init").exitCode()).isZero();
        Files.writeString(ws.resolve("certops.yaml"), """
                resolvers: ["%s", "%s"]
                dns:
                  - { id: pdns, type: powerdns, url: "%s", apiKey: "secret:pdns-key", zones: pair.test, nameserverPort: "%d", pollInterval: 100ms }
                  - { id: badkey, type: powerdns, url: "%s", apiKey: "secret:wrong-key", nameserverPort: "%d", propagationTimeout: 2s }
                  - { id: bind, type: rfc2136, server: "%s", tsigKeyName: %s, tsigSecret: "secret:tsig", nameserverPort: "%d" }
                certificates:
                  - { id: www, names: [www.example.test], challenge: { type: dns-01, dns: bind } }
                """.formatted(bind.hostPort(), pdns.dnsHostPort(), pdns.apiUrl(), port, pdns.apiUrl(), port, bind.hostPort(),
                BindFixture.KEY_NAME, port));
        secrets(ws, "not-the-real-key-42");
    }

    private static void secrets(Path workspace, String wrongKey) {
        for (String[] s : List.of(new String[] {"pdns-key", pdns.apiKey()}, new String[] {"wrong-key", wrongKey},
                new String[] {"tsig", bind.tsigSecret()})) {
            assertThat(CliRun.run(Map.of(), s[1], "--workspace", workspace.toString(), "secret", "set", s[0]).exitCode()).isZero();
        }
    }

    @AfterAll static void stop() {
        if (bind != null) bind.close();
        if (pdns != null) pdns.close();
    }

    @Test
    void dnsTestPublishesSeesOnEveryAuthoritativeServerRemovesAndReportsEachStepWithItsTime() throws Exception {
        CliRun r = CliRun.run("--workspace", ws.toString(), "dns", "test", "pdns", "--name", "www.pair.test");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("✔ find where the record goes \\(\\d+ ms\\): _acme-challenge.www.pair.test. \\(written by dns provider 'pdns'\\)")
                .containsPattern("✔ publish TXT _acme-challenge.www.pair.test. \\(\\d+ ms\\): value certops-dns-test-")
                .contains("✔ see it on every authoritative server (").contains("zone pair.test.: ")
                .contains("ns1.pair.test. (127.0.0.2:" + pdns.dnsPort() + ")").contains("ns2.pair.test. (127.0.0.3:" + pdns.dnsPort() + ")")
                .containsPattern("✔ remove it \\(\\d+ ms\\)")
                .contains("✔ see it gone from every authoritative server")
                .contains("dns provider 'pdns' works for www.pair.test (all 5 steps in ");
        assertThat(pdns.send("GET", "/api/v1/servers/localhost/zones/pair.test.", null).body()).doesNotContain("certops-dns-test");
    }

    @Test
    void dnsTestFollowsTheCnameAndSaysWhenIssuanceWouldWriteThroughAnotherProvider() {
        CliRun r = CliRun.run("--workspace", ws.toString(), "dns", "test", "bind", "--name", "www.example.test");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("✔ find where the record goes")
                .contains("_acme-challenge.www.example.test. → www.pair.test. (written by dns provider 'bind')"
                        + " — note: issuance writes it through dns provider 'pdns'")
                .contains("✘ publish TXT www.pair.test.").contains("rfc2136: cannot find the zone of www.pair.test.");
    }

    @Test
    void dnsTestWithAWrongKeyStopsAtPublishingAndNeverPrintsTheKey() {
        CliRun r = CliRun.run("--workspace", ws.toString(), "dns", "test", "badkey", "--name", "x.pair.test");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("✘ publish TXT _acme-challenge.x.pair.test.").contains("answered HTTP 401")
                .contains("dns provider 'badkey' failed for x.pair.test at 'publish TXT _acme-challenge.x.pair.test.'")
                .doesNotContain("not-the-real-key-42");
    }

    @Test
    void configCheckShowsTheChainOfEachDns01NameAndBlocksOnALoop() throws Exception {
        String yaml = Files.readString(ws.resolve("certops.yaml"));
        Path loopWs = dir.resolve("loop-ws");
        CliRun.run("--workspace", loopWs.toString(), "init");
        Files.writeString(loopWs.resolve("certops.yaml"), yaml.replace("names: [www.example.test]", "names: [www.example.test, loop.example.test]"));
        secrets(loopWs, "x");

        CliRun r = CliRun.run("--workspace", loopWs.toString(), "config", "check");

        assertThat(r.out()).contains("dns-01 www www.example.test: _acme-challenge.www.example.test. → www.pair.test. (written by dns provider 'pdns')")
                .contains("✘ certificates[www] loop.example.test: cname: the CNAMEs from _acme-challenge.loop.example.test. form a loop: "
                        + "_acme-challenge.loop.example.test. → loop2.example.test. → _acme-challenge.loop.example.test.");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
    }
}

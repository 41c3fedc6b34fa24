package dev.certops.discover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.estate.Status;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.ManagedProcess;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.OpensslClient;
import dev.certops.testing.Poll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code estate discover} over a small real estate on loopback addresses 127.0.0.2–.6: nginx serving
 * a managed certificate on two addresses, an unknown one expiring in ten days and an unknown wildcard,
 * {@code openssl s_server} serving a forgotten one, an address with nothing listening and one that
 * accepts and never speaks. The range 127.0.0.0/29 on three ports covers all of it.
 */
class DiscoverCommandTest {
    @TempDir static Path dir;
    static NginxFixture nginx;
    static ManagedProcess openssl;
    static ServerSocket silent;
    static final List<Socket> held = Collections.synchronizedList(new ArrayList<>());
    static int web;
    static int alt;
    static int legacy;
    static String ws;
    static Path caFile;
    static int selfSigned;
    static final CertificateBuilder.Issued CA = CertificateBuilder.ca("Discovery Test CA").build();

    @BeforeAll
    static void estate() throws Exception {
        Instant now = Instant.now();
        List<Integer> ports = FreePort.tcp(3);
        web = ports.get(0);
        alt = ports.get(1);
        legacy = ports.get(2);
        Path managed = write("managed", CertificateBuilder.leaf("managed.example.test").signedBy(CA).build());
        Path shop = write("shop", CertificateBuilder.leaf("shop.example.test", "www.shop.example.test").signedBy(CA)
                .validity(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10))).build());
        Path wild = write("wild", CertificateBuilder.leaf("*.apps.example.test").signedBy(CA).build());
        Path old = write("legacy", CertificateBuilder.leaf("legacy.example.test").signedBy(CA).build());
        nginx = NginxFixture.in(dir.resolve("nginx"))
                .addServer("127.0.0.2", "managed.example.test", web, managed.resolve("fullchain.pem"), managed.resolve("privkey.pem"))
                .addServer("127.0.0.3", "managed.example.test", web, managed.resolve("fullchain.pem"), managed.resolve("privkey.pem"))
                .addServer("127.0.0.2", "shop.example.test", alt, shop.resolve("fullchain.pem"), shop.resolve("privkey.pem"))
                .addServer("127.0.0.3", "apps.example.test", alt, wild.resolve("fullchain.pem"), wild.resolve("privkey.pem"));
        nginx.start();
        openssl = ManagedProcess.start("openssl-s_server", List.of("openssl", "s_server", "-accept", "127.0.0.4:" + legacy,
                "-cert", old.resolve("cert.pem").toString(), "-key", old.resolve("privkey.pem").toString(), "-quiet", "-naccept", "1000"),
                dir.resolve("openssl.log"));
        openssl.awaitReady(Duration.ofSeconds(10), () -> accepts("127.0.0.4", legacy));
        silent = new ServerSocket();
        silent.bind(new InetSocketAddress("127.0.0.6", web), 50);
        Thread t = new Thread(() -> {
            try {
                while (true) held.add(silent.accept());
            } catch (Exception closed) {
                // the test is over
            }
        }, "silent");
        t.setDaemon(true);
        t.start();
        Path w = dir.resolve("ws");
        new Workspace(w).create();
        caFile = Files.writeString(dir.resolve("discovery-ca.pem"), PemWriter.certificate(CA.certificate()));
        selfSigned = FreePort.tcp();
        Path self = dir.resolve("self");
        Files.createDirectories(self);
        var own = CertificateBuilder.leaf("self.example.test").build();
        Files.writeString(self.resolve("fullchain.pem"), PemWriter.certificate(own.certificate()));
        Files.writeString(self.resolve("privkey.pem"), PemWriter.privateKey(own.keys().getPrivate(), Optional.empty()));
        nginx.addServer("127.0.0.9", "self.example.test", selfSigned, self.resolve("fullchain.pem"), self.resolve("privkey.pem"));
        nginx.reload();
        Poll.until(Duration.ofSeconds(10), () -> accepts("127.0.0.9", selfSigned), "nginx serving 127.0.0.9:" + selfSigned);
        // the test CA is the team's own: listed under trust:, as the scan requires for an internal CA
        Files.writeString(new Workspace(w).configFile(), "trust: [" + caFile + "]\ncertificates:\n"
                + "  - id: managed\n    names: [managed.example.test]\n    endpoints: [\"127.0.0.2:" + web + "\"]\n");
        ws = w.toString();
    }

    @AfterAll
    static void stop() throws Exception {
        nginx.close();
        openssl.close();
        silent.close();
        synchronized (held) {
            for (Socket s : held) s.close();
        }
    }

    private static Path write(String name, CertificateBuilder.Issued leaf) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("fullchain.pem"), PemWriter.certificates(List.of(leaf.certificate(), CA.certificate())));
        Files.writeString(d.resolve("cert.pem"), PemWriter.certificates(List.of(leaf.certificate())));
        Files.writeString(d.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
        return d;
    }

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String[] discover(String... extra) {
        List<String> a = new ArrayList<>(List.of("estate", "discover", "127.0.0.0/29", "--ports", web + "," + alt + "," + legacy,
                "--timeout", "3000", "--workspace", ws));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void findsEveryServedCertificateGroupedAndSaysWhichAreUnmanaged() throws Exception {
        CliRun r = CliRun.run(discover("--json"));
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2); // the shop certificate is critical
        assertThat(root.path("probed").asInt()).isEqualTo(8 * 3);
        Map<String, JsonNode> byName = new HashMap<>();
        root.path("certificates").forEach(c -> byName.put(c.path("names").get(0).asText(), c));
        assertThat(byName).containsOnlyKeys("managed.example.test", "shop.example.test", "*.apps.example.test", "legacy.example.test");
        assertThat(byName.get("managed.example.test").path("managedBy").asText()).isEqualTo("managed");
        assertThat(byName.get("managed.example.test").path("servedAt")).extracting(e -> e.path("host").asText()).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
        assertThat(byName.get("shop.example.test").path("managedBy").isNull()).isTrue();
        assertThat(byName.get("shop.example.test").path("status").asText()).isEqualTo("critical");
        assertThat(byName.get("shop.example.test").path("issuer").asText()).contains("Discovery Test CA");
        assertThat(byName.get("legacy.example.test").path("servedAt").get(0).path("host").asText()).isEqualTo("127.0.0.4");
        assertThat(root.path("unanswered").get("127.0.0.6:" + web).asText()).isEqualTo("timeout");
        assertThat(root.path("unanswered").get("127.0.0.5:" + web).asText()).isEqualTo("refused");
    }

    @Test
    void aDiscoveryIsRecordedWithItsCountsAndTheUnmanagedCertificates() throws Exception {
        CliRun r = CliRun.run(discover());
        assertThat(r.out()).contains("Discovered 4 certificate(s) (3 not managed by certops.yaml) on 5 of 24 endpoint(s)")
                .contains("- (unmanaged)").contains("Next: add --propose FILE");
        try (CompositionRoot s = new CompositionRoot(new Workspace(Path.of(ws)), Map.of(), Clock.systemUTC())) {
            List<HistoryEvent> events = new ArrayList<>();
            s.history().forEach(EventQuery.all().kind(EventKinds.DISCOVER_FINISHED), events::add);
            JsonNode d = new ObjectMapper().readTree(events.get(events.size() - 1).details());
            assertThat(d.path("probed").asInt()).isEqualTo(24);
            assertThat(d.path("answered").asInt()).isEqualTo(5);
            assertThat(d.path("certificates").asInt()).isEqualTo(4);
            assertThat(d.path("unmanaged").asInt()).isEqualTo(3);
            assertThat(UnmanagedCertificate.latest(s.history())).extracting(UnmanagedCertificate::label)
                    .containsExactlyInAnyOrder("shop.example.test (+1)", "*.apps.example.test", "legacy.example.test");
        }
    }

    @Test
    void proposedEntriesPassConfigCheckOnceMergedAndThenCountAsManaged() throws Exception {
        Path proposal = dir.resolve("proposed.yaml");
        CliRun r = CliRun.run(discover("--propose", proposal.toString()));
        assertThat(r.out()).contains("3 proposed entries written to " + proposal);
        String fragment = Files.readString(proposal);
        assertThat(fragment).contains("- id: shop.example.test").contains("names: [shop.example.test, www.shop.example.test]")
                .contains("- { host: 127.0.0.4, port: " + legacy + " }")
                .contains("  # - id: wildcard.apps.example.test").contains("a wildcard or unusual name needs DNS-01");
        Path copy = dir.resolve("merged");
        new Workspace(copy).create();
        String config = Files.readString(Path.of(ws, "certops.yaml"));
        String entries = fragment.substring(fragment.indexOf("certificates:\n") + "certificates:\n".length());
        Files.writeString(new Workspace(copy).configFile(), config + entries);
        CliRun check = CliRun.run("config", "check", "--workspace", copy.toString());
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        CliRun again = CliRun.run("estate", "discover", "127.0.0.0/29", "--ports", web + "," + alt + "," + legacy, "--timeout", "3000",
                "--workspace", copy.toString());
        assertThat(again.out()).as("only the commented-out wildcard is left").contains("(1 not managed by certops.yaml)");
    }

    @Test
    void theStatusIsTheScansClientVerdictAndAgreesWithOpensslOnGoodAndBadEndpoints() throws Exception {
        // good: the managed certificate by its name, from the trusted team CA; bad: a self-signed one, and a name the served certificate lacks
        CliRun good = CliRun.run("estate", "discover", "127.0.0.2", "--ports", String.valueOf(web), "--sni", "managed.example.test", "--json", "--workspace", ws);
        CliRun self = CliRun.run("estate", "discover", "127.0.0.9", "--ports", String.valueOf(selfSigned), "--sni", "self.example.test", "--json", "--workspace", ws);
        CliRun misnamed = CliRun.run("estate", "discover", "127.0.0.4", "--ports", String.valueOf(legacy), "--sni", "billing.example.test", "--json", "--workspace", ws);
        JsonNode g = new ObjectMapper().readTree(good.out()).path("certificates").get(0);
        JsonNode s = new ObjectMapper().readTree(self.out()).path("certificates").get(0);
        JsonNode m = new ObjectMapper().readTree(misnamed.out()).path("certificates").get(0);

        OpensslClient.Verdict okForOpenssl = OpensslClient.verify("127.0.0.2", web, "managed.example.test", Optional.of(caFile), Optional.empty(), List.of());
        OpensslClient.Verdict selfForOpenssl = OpensslClient.verify("127.0.0.9", selfSigned, "self.example.test", Optional.of(caFile), Optional.empty(), List.of());
        OpensslClient.Verdict nameForOpenssl = OpensslClient.verify("127.0.0.4", legacy, "billing.example.test", Optional.of(caFile), Optional.empty(), List.of());

        assertThat(okForOpenssl.accepted()).as(okForOpenssl.output()).isTrue();
        assertThat(g.path("status").asText()).as(good.out()).isEqualTo("ok");
        assertThat(good.exitCode()).isZero();

        assertThat(selfForOpenssl.accepted()).isFalse();
        assertThat(selfForOpenssl.output()).contains("self-signed certificate");
        assertThat(s.path("status").asText()).as(self.out()).isEqualTo("rejected");
        assertThat(s.path("findings").get(0).path("code").asText()).isEqualTo("self-signed");
        assertThat(self.exitCode()).isEqualTo(2);

        assertThat(nameForOpenssl.accepted()).isFalse();
        assertThat(nameForOpenssl.output()).contains("hostname mismatch");
        assertThat(m.path("status").asText()).as(misnamed.out()).isEqualTo("rejected");
        assertThat(m.path("findings").get(0).path("code").asText()).isEqualTo("name-not-covered");

        CliRun text = CliRun.run("estate", "discover", "127.0.0.9", "--ports", String.valueOf(selfSigned), "--workspace", ws);
        assertThat(text.out()).as("an address without a name: trust is still judged").contains("rejected: 127.0.0.9:" + selfSigned + " serves a self-signed certificate");
        try (CompositionRoot session = new CompositionRoot(new Workspace(Path.of(ws)), Map.of(), Clock.systemUTC())) {
            assertThat(UnmanagedCertificate.latest(session.history())).singleElement().satisfies(u -> {
                assertThat(u.status(session.config().thresholds(), Instant.now())).as("what the console's Estate shows").isEqualTo(Status.REJECTED);
                assertThat(u.reason()).contains("self-signed");
            });
        }
    }

    @Test
    void theProposalNeverOverwritesCertopsYaml() {
        CliRun r = CliRun.run(discover("--propose", Path.of(ws, "certops.yaml").toString()));
        assertThat(r.exitCode()).isEqualTo(64);
        assertThat(r.err()).contains("not " + Path.of(ws, "certops.yaml") + " itself");
    }

    @Test
    void aTargetThatIsNoAddressRangeOrNameIsRefusedWithWhatIsAllowed() {
        CliRun r = CliRun.run("estate", "discover", "10.0.0.0/33", "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(64);
        assertThat(r.err()).contains("is not an IPv4 CIDR range");
        assertThat(CliRun.run("estate", "discover", "10.0.0.0/8", "--workspace", ws).err()).contains("split it into smaller ranges");
    }

    @Test
    void aSlash22OnThreePortsIsDiscoveredWithinTenSeconds() {
        long t0 = System.nanoTime();
        CliRun r = CliRun.run("estate", "discover", "127.0.0.0/22", "--ports", web + "," + alt + "," + legacy, "--timeout", "3000", "--workspace", ws);
        Duration command = Duration.ofNanos(System.nanoTime() - t0);
        var m = Pattern.compile("endpoint\\(s\\) in (\\d+) ms").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        Duration discovery = Duration.ofMillis(Long.parseLong(m.group(1)));
        System.out.printf("DiscoverCommandTest: 127.0.0.0/22 x 3 ports (3,072 endpoints, one silent) discovered in %d ms (whole command %d ms)%n",
                discovery.toMillis(), command.toMillis());
        assertThat(r.out()).contains("on 5 of 3072 endpoint(s)");
        assertThat(discovery).isLessThan(Duration.ofSeconds(10));
    }
}

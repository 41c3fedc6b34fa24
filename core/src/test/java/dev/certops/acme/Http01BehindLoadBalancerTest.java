package dev.certops.acme;

import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.testing.FreePort;
import dev.certops.testing.ManagedProcess;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.PebbleFixture;
import dev.certops.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP-01 behind a real HAProxy that sends each request to the next of two backends (round robin):
 * two nginx sites, each with its own webroot, standing for two web hosts. Pebble validates through
 * HAProxy, so its request may reach either backend; the token must be on both. Each backend's nginx
 * access log shows which challenge requests it answered: with two names (two authorizations, so at
 * least two validation requests) round robin sends at least one to each backend, and both answer 200.
 */
class Http01BehindLoadBalancerTest {
    @TempDir static Path dir;
    static ChallTestSrvFixture dns;
    static NginxFixture nginx;
    static ManagedProcess haproxy;
    static PebbleFixture pebble;
    static Path web1;
    static Path web2;
    static int port1;
    static int port2;

    @BeforeAll static void start() throws Exception {
        dns = ChallTestSrvFixture.start(Files.createDirectories(dir.resolve("dns")));
        web1 = Files.createDirectories(dir.resolve("web1"));
        web2 = Files.createDirectories(dir.resolve("web2"));
        List<Integer> ports = FreePort.tcp(3);
        port1 = ports.get(0);
        port2 = ports.get(1);
        nginx = NginxFixture.in(dir.resolve("nginx")).addLoggedHttpServer(port1, web1).addLoggedHttpServer(port2, web2);
        nginx.start();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "defaults", "  mode http", "  timeout connect 2s", "  timeout client 5s", "  timeout server 5s",
                "frontend acme", "  bind 127.0.0.1:" + ports.get(2), "  default_backend webs",
                "backend webs", "  balance roundrobin",
                "  server web1 127.0.0.1:" + ports.get(0), "  server web2 127.0.0.1:" + ports.get(1), ""));
        haproxy = ManagedProcess.start("haproxy", List.of("/usr/sbin/haproxy", "-db", "-f", cfg.toString()), dir.resolve("haproxy.log"));
        haproxy.awaitReady(Duration.ofSeconds(10), () -> Poll.accepts(ports.get(2)));
        pebble = PebbleFixture.builder(dir.resolve("pebble")).httpPort(ports.get(2)).dns(dns).start();
    }

    @AfterAll static void stop() {
        if (pebble != null) pebble.close();
        if (haproxy != null) haproxy.close();
        if (nginx != null) nginx.close();
        if (dns != null) dns.close();
    }

    private static CompositionRoot workspace(String name, String certificates) throws Exception {
        Workspace ws = new Workspace(dir.resolve(name));
        ws.create();
        Files.writeString(ws.configFile(), """
                resolvers: ["%s"]
                cas:
                  - { id: pebble, directory: %s, trust: %s, agreeToTerms: true }
                hosts:
                  - { id: web1, address: local, certDir: %s, webroot: %s }
                  - { id: web2, address: local, certDir: %s, webroot: %s }
                certificates:
                %s""".formatted(dns.dnsHostPort(), pebble.directoryUrl(), pebble.trustAnchorPem(), dir.resolve(name + "-c1"), web1,
                dir.resolve(name + "-c2"), web2, certificates.indent(2)));
        return new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
    }

    private static long tokensLeft(Path webroot) throws Exception {
        Path d = webroot.resolve(".well-known/acme-challenge");
        if (!Files.isDirectory(d)) return 0;
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    private static final Pattern CHALLENGE = Pattern.compile("\"GET /\\.well-known/acme-challenge/([A-Za-z0-9_-]+) HTTP/1\\.[01]\" (\\d{3}) ");

    /** The access log's lines from {@code from} characters on. */
    private static List<String> logSince(int port, long from) throws Exception {
        Path log = nginx.accessLog(port);
        if (!Files.exists(log)) return List.of();
        String all = Files.readString(log);
        return all.substring((int) Math.min(from, all.length())).lines().toList();
    }

    private static long logSize(int port) throws Exception {
        return Files.exists(nginx.accessLog(port)) ? Files.readString(nginx.accessLog(port)).length() : 0;
    }

    /** The User-Agent of Pebble's validation authority: the CA's own requests, not anyone else's. */
    private static final String PEBBLE_VA = "LetsEncrypt-Pebble-VA";

    /** token → HTTP status of each challenge request from the CA a backend answered since {@code from}. */
    private static Map<String, String> challengeRequests(int port, long from) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : logSince(port, from)) {
            Matcher m = CHALLENGE.matcher(line);
            if (m.find() && line.contains(PEBBLE_VA)) out.put(m.group(1), m.group(2));
        }
        return out;
    }

    /** The HTTP status a backend answers now for {@code token}, asked directly (not through HAProxy). */
    private static int statusNow(int port, String token) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/.well-known/acme-challenge/" + token).toURL().openConnection();
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    /**
     * Both backends answered at least one of the CA's challenge requests with 200 (so each had the token
     * it was asked for), and afterwards neither webroot holds a token and each backend answers 404 for
     * every token either was asked for.
     */
    private static void assertBothBackendsAnsweredAndAreClean(long from1, long from2) throws Exception {
        Map<String, String> asked1 = challengeRequests(port1, from1);
        Map<String, String> asked2 = challengeRequests(port2, from2);
        assertThat(asked1).as("challenge requests answered by web1").isNotEmpty().allSatisfy((token, status) -> assertThat(status).isEqualTo("200"));
        assertThat(asked2).as("challenge requests answered by web2").isNotEmpty().allSatisfy((token, status) -> assertThat(status).isEqualTo("200"));
        assertThat(tokensLeft(web1)).as("cleaned up on web1").isZero();
        assertThat(tokensLeft(web2)).as("cleaned up on web2").isZero();
        Set<String> tokens = new TreeSet<>(asked1.keySet());
        tokens.addAll(asked2.keySet());
        for (String token : tokens) {
            assertThat(statusNow(port1, token)).as("web1 after issuance, token " + token).isEqualTo(404);
            assertThat(statusNow(port2, token)).as("web2 after issuance, token " + token).isEqualTo(404);
        }
    }

    @Test
    void theTokenIsOnEveryNamedHostSoWhicheverBackendTheCaReachesAnswers() throws Exception {
        try (CompositionRoot s = workspace("ws-named", "- { id: lb, names: [lb.example.test, www.lb.example.test], challenge: { type: http-01, hosts: [web1, web2] } }")) {
            long from1 = logSize(port1);
            long from2 = logSize(port2);

            CertificateVersions.Version v = s.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("lb"), IssuanceListener.NONE);

            assertThat(v.number()).isEqualTo(1);
            assertBothBackendsAnsweredAndAreClean(from1, from2);
        }
    }

    @Test
    void hostsWavesPublishesToEveryHostTheCertificateIsDeployedTo() throws Exception {
        try (CompositionRoot s = workspace("ws-waves", """
                - id: waves
                  names: [waves.example.test, two.example.test]
                  challenge: { type: http-01, hosts: waves }
                  deploy: { waves: [[web1], [web2]] }
                """)) {
            assertThat(s.config().certificate("waves").orElseThrow().challenge().orElseThrow().describe())
                    .isEqualTo("http-01 through the webroots of hosts 'web1', 'web2'");
            long from1 = logSize(port1);
            long from2 = logSize(port2);

            CertificateVersions.Version v = s.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("waves"), IssuanceListener.NONE);

            assertThat(v.number()).isEqualTo(1);
            assertBothBackendsAnsweredAndAreClean(from1, from2);
        }
    }
}

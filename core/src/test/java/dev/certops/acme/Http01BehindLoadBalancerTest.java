package dev.certops.acme;

import dev.certops.config.Workspace;
import dev.certops.session.Session;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP-01 behind a real HAProxy that sends each request to the next of two backends (round robin):
 * two nginx sites, each with its own webroot, standing for two web hosts. Pebble validates through
 * HAProxy, so its request may reach either backend; the token must be on both.
 */
class Http01BehindLoadBalancerTest {
    @TempDir static Path dir;
    static ChallTestSrvFixture dns;
    static NginxFixture nginx;
    static ManagedProcess haproxy;
    static PebbleFixture pebble;
    static Path web1;
    static Path web2;

    @BeforeAll static void start() throws Exception {
        dns = ChallTestSrvFixture.start(Files.createDirectories(dir.resolve("dns")));
        web1 = Files.createDirectories(dir.resolve("web1"));
        web2 = Files.createDirectories(dir.resolve("web2"));
        List<Integer> ports = FreePort.tcp(3);
        nginx = NginxFixture.in(dir.resolve("nginx")).addHttpServer(ports.get(0), web1).addHttpServer(ports.get(1), web2);
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

    private static Session workspace(String name, String certificates) throws Exception {
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
        return new Session(ws, Map.of("USER", "tester"), Clock.systemUTC());
    }

    private static long tokensLeft(Path webroot) throws Exception {
        Path d = webroot.resolve(".well-known/acme-challenge");
        if (!Files.isDirectory(d)) return 0;
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void theTokenIsOnEveryNamedHostSoWhicheverBackendTheCaReachesAnswers() throws Exception {
        try (Session s = workspace("ws-named", "- { id: lb, names: [lb.example.test, www.lb.example.test], challenge: { type: http-01, hosts: [web1, web2] } }")) {
            CertificateVersions.Version v = new IssuanceService(s, FailoverPolicy.defaults()).issue(IssueRequest.of("lb"), IssuanceListener.NONE);

            assertThat(v.number()).isEqualTo(1);
            assertThat(tokensLeft(web1)).as("cleaned up on web1").isZero();
            assertThat(tokensLeft(web2)).as("cleaned up on web2").isZero();
        }
    }

    @Test
    void hostsWavesPublishesToEveryHostTheCertificateIsDeployedTo() throws Exception {
        try (Session s = workspace("ws-waves", """
                - id: waves
                  names: [waves.example.test, two.example.test]
                  challenge: { type: http-01, hosts: waves }
                  deploy: { waves: [[web1], [web2]] }
                """)) {
            assertThat(s.config().certificate("waves").orElseThrow().challenge().orElseThrow().describe())
                    .isEqualTo("http-01 through the webroots of hosts 'web1', 'web2'");

            CertificateVersions.Version v = new IssuanceService(s, FailoverPolicy.defaults()).issue(IssueRequest.of("waves"), IssuanceListener.NONE);

            assertThat(v.number()).isEqualTo(1);
            assertThat(tokensLeft(web1) + tokensLeft(web2)).isZero();
        }
    }
}

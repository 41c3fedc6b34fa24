package dev.certops.acme;

import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.PebbleFixture;
import dev.certops.testing.PowerDnsFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Median wall time of one HTTP-01 and one DNS-01 issuance against local Pebble, and 20 issued concurrently. */
@Tag("bench")
class AcmeBenchmark {
    @TempDir Path dir;

    @Test
    void issuanceTimes() throws Exception {
        StringBuilder certs = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            certs.append("- { id: h").append(i).append(", names: [h").append(i).append(".bench.test], challenge: { type: http-01, host: web } }\n");
            certs.append("- { id: r").append(i).append(", names: [r").append(i).append(".bench.test], challenge: { type: http-01, host: web } }\n");
            certs.append("- { id: d").append(i).append(", names: [d").append(i).append(".bench.test], challenge: { type: dns-01, dns: lab } }\n");
        }
        for (int i = 0; i < 20; i++) {
            certs.append("- { id: c").append(i).append(", names: [c").append(i).append(".bench.test], challenge: { type: dns-01, dns: lab } }\n");
        }
        try (AcmeLab lab = new AcmeLab(dir.resolve("lab")); CompositionRoot s = lab.workspace(dir.resolve("ws"), certs.toString())) {
            IssuanceService svc = s.operations().issuance(FailoverPolicy.defaults()).sleepingWith(Poller.Sleeper.REAL).withoutBudget();
            svc.issue(IssueRequest.of("h0"), IssuanceListener.NONE); // warm-up: account, JIT
            svc.issue(IssueRequest.of("d0"), IssuanceListener.NONE);
            for (int i = 0; i < 7; i++) lab.dns.addA("r" + i + ".bench.test", "127.0.0.2");
            Http01Responder responder = Http01Responder.start(new java.net.InetSocketAddress("127.0.0.2", lab.primary.httpPort()));
            IssuanceService inProcess = svc.withHttp01Responder(responder);
            inProcess.issue(IssueRequest.of("r0"), IssuanceListener.NONE);
            List<Long> responded = new ArrayList<>();
            List<Long> http = new ArrayList<>();
            List<Long> dns = new ArrayList<>();
            for (int i = 1; i < 7; i++) {
                String h = "h" + i;
                String d = "d" + i;
                http.add(time(() -> svc.issue(IssueRequest.of(h), IssuanceListener.NONE)));
                dns.add(time(() -> svc.issue(IssueRequest.of(d), IssuanceListener.NONE)));
                String r = "r" + i;
                responded.add(time(() -> inProcess.issue(IssueRequest.of(r), IssuanceListener.NONE)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(20);
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "c" + i;
                fs.add(pool.submit(() -> svc.issue(IssueRequest.of(id), IssuanceListener.NONE)));
            }
            for (Future<?> f : fs) f.get();
            long concurrent = (System.nanoTime() - t0) / 1_000_000;
            pool.shutdown();
            responder.close();
            System.out.printf("AcmeBenchmark: HTTP-01 (webroot via nginx) median %d ms (target <= 1500: %s), HTTP-01 (in-process responder) median %d ms,"
                            + " DNS-01 median %d ms (target <= 800: %s), 20 concurrent %d ms (target <= 5000: %s)%n",
                    median(http), median(http) <= 1500 ? "met" : "MISSED", median(responded), median(dns), median(dns) <= 800 ? "met" : "MISSED",
                    concurrent, concurrent <= 5000 ? "met" : "MISSED");
            if (s.history().query(dev.certops.history.EventQuery.all().kind(dev.certops.history.EventKinds.ACME_CERT_ISSUED)).size() != 3 + 6 * 3 + 20) {
                throw new AssertionError("not every benchmark issuance was recorded");
            }
        }
    }

    /** DNS-01 through a real PowerDNS on loopback (HTTP API, authoritative check), Pebble resolving through it. */
    @Test
    void dns01ThroughPowerDns() throws Exception {
        PowerDnsFixture pdns = PowerDnsFixture.start(java.nio.file.Files.createDirectories(dir.resolve("pdns")), List.of("127.0.0.1"), FreePort.tcpAndUdp());
        try (pdns; PebbleFixture pebble = PebbleFixture.builder(dir.resolve("pebble")).dnsPort(pdns.dnsPort()).start()) {
            pdns.createZone("bench.test", java.util.Map.of("ns1.bench.test.", "127.0.0.1"), List.of());
            Workspace ws = new Workspace(dir.resolve("pdns-ws"));
            ws.create();
            StringBuilder certs = new StringBuilder();
            for (int i = 0; i < 7; i++) certs.append("  - { id: p").append(i).append(", names: [p").append(i).append(".bench.test], challenge: { type: dns-01, dns: pdns } }\n");
            java.nio.file.Files.writeString(ws.configFile(), """
                    resolvers: ["%s"]
                    cas:
                      - { id: pebble, directory: %s, trust: %s, agreeToTerms: true }
                    dns:
                      - { id: pdns, type: powerdns, url: "%s", apiKey: "secret:pdns-key", nameserverPort: "%d", pollInterval: 100ms }
                    certificates:
                    %s""".formatted(pdns.dnsHostPort(), pebble.directoryUrl(), pebble.trustAnchorPem(), pdns.apiUrl(), pdns.dnsPort(), certs));
            try (CompositionRoot s = new CompositionRoot(ws, java.util.Map.of("USER", "bench"), java.time.Clock.systemUTC())) {
                s.secrets().write("pdns-key", pdns.apiKey().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                IssuanceService svc = s.operations().issuance(FailoverPolicy.defaults()).sleepingWith(Poller.Sleeper.REAL).withoutBudget();
                svc.issue(IssueRequest.of("p0"), IssuanceListener.NONE); // warm-up: account, JIT
                List<Long> times = new ArrayList<>();
                for (int i = 1; i < 7; i++) {
                    String id = "p" + i;
                    times.add(time(() -> svc.issue(IssueRequest.of(id), IssuanceListener.NONE)));
                }
                System.out.printf("AcmeBenchmark: DNS-01 through PowerDNS (API + every authoritative server checked) median %d ms, all %s (target <= 800: %s)%n",
                        median(times), times, median(times) <= 800 ? "met" : "MISSED");
            }
        }
    }

    private interface Work { Object run() throws Exception; }

    private static long time(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}

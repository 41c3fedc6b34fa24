package dev.certops.renew;

import com.sun.net.httpserver.HttpsServer;
import dev.certops.acme.AcmeLab;
import dev.certops.acme.CertificateVersions;
import dev.certops.acme.RenewalInformation;
import dev.certops.alert.AlertCondition;
import dev.certops.alert.AlertReport;
import dev.certops.alert.AlertScope;
import dev.certops.alert.Alerts;
import dev.certops.cli.CliRun;
import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.PemWriter;
import dev.certops.scan.TlsProbe;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.GatedCommand;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.TestTls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A workspace with three managed certificates on two real Pebbles (through {@link AcmeLab}), each
 * deployed to its own local host served by its own real nginx: {@code due} (10 of 90 days left),
 * {@code fresh} (80 of 90 left) and {@code ari} (80 left, but the CA's renewal window has begun —
 * served by an in-process renewalInfo endpoint, since Pebble has none). The current versions were
 * issued by a private test CA and deployed with {@code certops deploy}.
 */
final class RenewWorld implements AutoCloseable {
    static final List<String> IDS = List.of("due", "fresh", "ari");
    final Path dir;
    final CompositionRoot session;
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final Map<String, String> seededSerial = new LinkedHashMap<>();
    private final List<NginxFixture> nginxes = new ArrayList<>();
    private HttpsServer ari;

    /** Alert conditions as reported, one list per run (the budget's report apart): the seam to the alert module. */
    static final class RecordingAlerts implements Alerts {
        final List<List<AlertCondition>> reports = new CopyOnWriteArrayList<>();
        final List<AlertScope> scopes = new CopyOnWriteArrayList<>();
        final List<List<AlertCondition>> budgetReports = new CopyOnWriteArrayList<>();

        @Override
        public AlertReport report(AlertScope scope, List<AlertCondition> active) {
            if (scope.equals(BudgetConditions.SCOPE)) {
                budgetReports.add(List.copyOf(active));
                return AlertReport.EMPTY;
            }
            scopes.add(scope);
            reports.add(List.copyOf(active));
            return AlertReport.EMPTY;
        }
    }

    /**
     * @param primary   the primary CA's directory (a dead port for an outage)
     * @param secondary the secondary's
     */
    RenewWorld(AcmeLab lab, Path dir, URI primary, URI secondary) throws Exception {
        this(lab, dir, primary, secondary, false);
    }

    /**
     * With {@code gated}, each host's reload blocks while {@code dir/ARMED} exists and {@code dir/GO} does not
     * (touching {@code dir/BLOCKED}), then gives up without reloading: the place to kill a run.
     */
    RenewWorld(AcmeLab lab, Path dir, URI primary, URI secondary, boolean gated) throws Exception {
        this.dir = dir;
        Instant now = Instant.now();
        var ca = CertificateBuilder.ca("Old Test CA").build();
        StringBuilder hosts = new StringBuilder();
        StringBuilder certs = new StringBuilder();
        Map<String, CertificateBuilder.Issued> seeds = new LinkedHashMap<>();
        for (String id : IDS) {
            int port = FreePort.tcp();
            ports.put(id, port);
            Path certDir = Files.createDirectories(dir.resolve("hosts").resolve(id));
            Instant nb = id.equals("due") ? now.minus(Duration.ofDays(80)) : now.minus(Duration.ofDays(10));
            var leaf = CertificateBuilder.leaf(id + ".example.test").key(KeyType.EC_P256).validity(nb, nb.plus(Duration.ofDays(90))).signedBy(ca).build();
            seeds.put(id, leaf);
            seededSerial.put(id, leaf.certificate().getSerialNumber().toString(16));
            Path seedDir = Files.createDirectories(dir.resolve("seed").resolve(id));
            Files.writeString(seedDir.resolve("fullchain.pem"), PemWriter.certificates(List.of(leaf.certificate(), ca.certificate())));
            Files.writeString(seedDir.resolve("key.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
            NginxFixture nginx = NginxFixture.in(dir.resolve("nginx-" + id))
                    .addServer(id + ".example.test", port, seedDir.resolve("fullchain.pem"), seedDir.resolve("key.pem"));
            nginx.start();
            nginx.serveLiveLinkInsteadOf(seedDir.resolve("fullchain.pem"), seedDir.resolve("key.pem"), certDir);
            nginxes.add(nginx);
            String reload = nginx.reloadCommand();
            if (gated) reload = GatedCommand.around(dir, "reload-" + id + ".sh", nginx.reloadCommand()).command();
            hosts.append("- { id: h-").append(id).append(", address: local, certDir: ").append(certDir).append(", test: \"")
                    .append(nginx.testCommand()).append("\", reload: \"").append(reload).append("\" }\n");
            certs.append("- id: ").append(id).append("\n  names: [").append(id).append(".example.test]\n")
                    .append("  challenge: { type: dns-01, dns: lab }\n  deploy: { waves: [[h-").append(id).append("]] }\n")
                    .append("  endpoints: [{ host: 127.0.0.1, port: ").append(port).append(", sni: ").append(id).append(".example.test }]\n");
        }
        session = lab.workspace(dir.resolve("ws"), hosts.toString(), certs.toString(), primary, secondary, Clock.systemUTC());
        CertificateVersions versions = new CertificateVersions(session.workspace(), session.secrets());
        for (String id : IDS) {
            versions.store(id, List.of(seeds.get(id).certificate(), ca.certificate()), seeds.get(id).keys().getPrivate(), "primary", false, now);
            CliRun r = CliRun.run(Map.of(), "", "deploy", id, "--workspace", session.workspace().root().toString());
            if (r.exitCode() != 0) throw new IllegalStateException("seeding deploy of " + id + " failed: " + r.out() + r.err());
        }
        ariIdOfSeed = RenewalInformation.ariId(seeds.get("ari").certificate());
    }

    private final String ariIdOfSeed;

    /**
     * Starts an HTTPS renewalInfo endpoint (with the primary Pebble's TLS identity, so the CA's trust
     * anchor covers it): the {@code ari} seed's window began a day ago, every other certificate's
     * window is two months away. Returns its base URL.
     */
    String startRenewalInfo(TestTls tls) throws Exception {
        ari = dev.certops.testing.TestHttps.server(tls);
        ari.createContext("/renewal-info/", ex -> {
            Instant now = Instant.now();
            boolean begun = ex.getRequestURI().getPath().endsWith("/" + ariIdOfSeed);
            Instant start = begun ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(60));
            Instant end = begun ? now.plusSeconds(1) : now.plus(Duration.ofDays(62));
            byte[] b = ("{\"suggestedWindow\":{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Retry-After", "21600");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        ari.start();
        return "https://127.0.0.1:" + ari.getAddress().getPort();
    }

    /** The serial the certificate's endpoint serves now, by TLS handshake. */
    /** Waits until {@code id}'s endpoint serves {@code serial} steadily (see {@link TestTls#awaitServedSteadily}). */
    void awaitServed(String id, String serial) {
        TestTls.awaitServedSteadily(ports.get(id), id + ".example.test", serial);
    }

    String served(String id) throws Exception {
        return TlsProbe.withDefaults().fetch(new Endpoint("127.0.0.1", ports.get(id), id + ".example.test")).leaf().getSerialNumber().toString(16);
    }

    @Override
    public void close() {
        session.close();
        if (ari != null) ari.stop(0);
        nginxes.forEach(NginxFixture::close);
    }
}

package dev.certops.runbook.action;

import dev.certops.config.Endpoint;
import dev.certops.config.Workspace;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.scan.ProbeException;
import dev.certops.scan.TlsProbe;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.PebbleFixture;
import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runbook end-to-end lab: two real Pebble CAs (main-ca, backup-ca; each its own staging
 * directory too) validating DNS-01 through one pebble-challtestsrv, and one real nginx serving a
 * TLS site per host entry ({@code address: local}) from that host's {@code certDir/live} link.
 * Every host starts with a release of a self-signed "old" certificate live, as a host that has been
 * serving for a while does. Sites on 127.0.0.2, 127.0.0.3 ... are separate "machines" for
 * verification: a loopback host entry's own deploy check covers only 127.0.0.1 endpoints.
 */
final class RunbookLab implements AutoCloseable {
    static final String SEED_RELEASE = "20200101T000000000Z-0";
    final Path dir;
    final ChallTestSrvFixture dns;
    final PebbleFixture primary;
    final PebbleFixture secondary;
    final NginxFixture nginx;
    final TestTls seed;
    /** A third CA (third-ca), only after {@link #startThirdCa(boolean)}. */
    PebbleFixture third;
    private boolean thirdHasStaging;
    private final List<Site> sites = new ArrayList<>();

    /** A host entry and the TLS endpoint nginx serves from its live link. */
    record Site(String hostId, Path certDir, Endpoint endpoint, boolean drill) {
        String yaml(NginxFixture nginx) {
            return "  - { id: " + hostId + (drill ? ", drill: true" : "") + ", address: local, certDir: " + certDir
                    + ", test: \"" + nginx.testCommand() + "\", reload: \"" + nginx.reloadCommand() + "\" }\n";
        }

        String endpointYaml() {
            return "{ host: " + endpoint.host() + ", port: " + endpoint.port() + ", sni: " + endpoint.sni() + " }";
        }
    }

    RunbookLab(Path dir) throws Exception {
        this.dir = dir;
        dns = ChallTestSrvFixture.start(Files.createDirectories(dir.resolve("dns")));
        primary = PebbleFixture.builder(dir.resolve("primary")).dns(dns).start();
        secondary = PebbleFixture.builder(dir.resolve("secondary")).dns(dns).start();
        nginx = NginxFixture.in(dir.resolve("nginx"));
        // what the hosts served before certops: a certificate for their names (a rollback to it passes the deploy gate)
        seed = TestTls.create(dir.resolve("seed"), "DNS:localhost,IP:127.0.0.1,DNS:*.example.test,DNS:*.drill.example.test,DNS:*.example.com");
    }

    /** Declares a host with its site (before {@link #startNginx()}); {@code loopback} is 1 for 127.0.0.1, 2 for 127.0.0.2, ... */
    Site site(String hostId, int loopback, String sni, boolean drill) throws Exception {
        Path certDir = dir.resolve("hosts").resolve(hostId).resolve("ssl");
        Path release = Files.createDirectories(certDir.resolve("releases").resolve(SEED_RELEASE));
        Files.copy(seed.certPem(), release.resolve("fullchain.pem"));
        Files.copy(seed.certPem(), release.resolve("cert.pem"));
        Files.copy(seed.caPem(), release.resolve("chain.pem"));
        Files.copy(seed.keyPem(), release.resolve("privkey.pem"));
        Files.createSymbolicLink(certDir.resolve("live"), Path.of("releases", SEED_RELEASE));
        String address = "127.0.0." + loopback;
        int port = FreePort.tcp();
        nginx.addServer(address, sni, port, certDir.resolve("live/fullchain.pem"), certDir.resolve("live/privkey.pem"));
        Site s = new Site(hostId, certDir, new Endpoint(address, port, sni), drill);
        sites.add(s);
        return s;
    }

    void startNginx() throws Exception { nginx.start(); }

    /** Starts a third Pebble, listed third under cas: as third-ca (before {@link #workspace}); without staging when asked. */
    PebbleFixture startThirdCa(boolean withStaging) throws Exception {
        third = PebbleFixture.builder(dir.resolve("third")).dns(dns).start();
        thirdHasStaging = withStaging;
        return third;
    }

    /**
     * A workspace with both CAs (their {@code limits:} given), the challtestsrv DNS provider, every
     * declared host, and these certificates (YAML list items, two-space indented by the caller).
     */
    CompositionRoot workspace(String limits, String certificates) throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        StringBuilder hosts = new StringBuilder();
        for (Site s : sites) hosts.append(s.yaml(nginx));
        Files.writeString(ws.configFile(), """
                resolvers: ["%s"]
                cas:
                  - { id: main-ca, directory: "%s", staging: "%s", trust: "%s", caaIdentity: main.pebble.test, agreeToTerms: true, limits: %s }
                  - { id: backup-ca, directory: "%s", staging: "%s", trust: "%s", caaIdentity: backup.pebble.test, agreeToTerms: true, limits: %s }
                %sdns:
                  - { id: lab, type: challtestsrv, url: "%s" }
                  - { id: hook, type: exec, command: "%s", timeout: 10m }
                hosts:
                %scertificates:
                %s""".formatted(dns.dnsHostPort(), primary.directoryUrl(), primary.directoryUrl(), primary.trustAnchorPem(), limits,
                secondary.directoryUrl(), secondary.directoryUrl(), secondary.trustAnchorPem(), limits, thirdCaYaml(limits), dns.managementUrl(), dnsHook(), hosts,
                certificates));
        return new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
    }

    private String thirdCaYaml(String limits) {
        if (third == null) return "";
        return "  - { id: third-ca, directory: \"" + third.directoryUrl() + "\"" + (thirdHasStaging ? ", staging: \"" + third.directoryUrl() + "\"" : "")
                + ", trust: \"" + third.trustAnchorPem() + "\", caaIdentity: third.pebble.test, agreeToTerms: true, limits: " + limits + " }\n";
    }

    /**
     * A DNS-01 hook ({@code dns: hook}) publishing through challtestsrv; it fails while the file
     * {@code FAIL} exists in the lab folder, and it has a gate: while the file
     * {@code ARMED} exists in the lab folder and {@code GO} does not, it touches {@code BLOCKED}
     * and waits (then fails) — the point where a test kills the engine in the middle of an order.
     */
    private Path dnsHook() throws Exception {
        Path hook = dir.resolve("dns-hook.sh");
        String d = dir.toAbsolutePath().toString();
        Files.writeString(hook, """
                #!/bin/sh
                if [ -e %1$s/FAIL ]; then echo "the DNS provider is down (FAIL)" >&2; exit 1; fi
                if [ -e %1$s/ARMED ] && [ ! -e %1$s/GO ]; then
                  touch %1$s/BLOCKED
                  n=0; while [ ! -e %1$s/GO ] && [ $n -lt 600 ]; do n=$((n+1)); sleep 0.1; done
                  exit 1
                fi
                h="$2"; case "$h" in *.) ;; *) h="$h." ;; esac
                if [ "$1" = present ]; then
                  exec curl -sf -X POST -d "{\\\"host\\\":\\\"$h\\\",\\\"value\\\":\\\"$3\\\"}" %2$s/set-txt
                fi
                exec curl -sf -X POST -d "{\\\"host\\\":\\\"$h\\\"}" %2$s/clear-txt
                """.formatted(d, dns.managementUrl()));
        hook.toFile().setExecutable(true);
        return hook;
    }

    /** The hex serial an endpoint serves now (TLS handshake). */
    static String served(Endpoint e) throws ProbeException {
        return TlsProbe.withDefaults().fetch(e).leaf().getSerialNumber().toString(16).toLowerCase(Locale.ROOT);
    }

    /**
     * Waits (10 s at most) until three handshakes in a row see {@code serial}: nginx's reload is
     * asynchronous, so an old worker may answer a connection or two after the new one does. Returns the leaf.
     */
    static java.security.cert.X509Certificate awaitServed(Endpoint e, String serial) {
        java.security.cert.X509Certificate[] leaf = new java.security.cert.X509Certificate[1];
        int[] streak = {0};
        dev.certops.testing.Poll.until(java.time.Duration.ofSeconds(10), () -> {
            try {
                leaf[0] = TlsProbe.withDefaults().fetch(e).leaf();
            } catch (ProbeException ex) {
                streak[0] = 0;
                return false;
            }
            streak[0] = leaf[0].getSerialNumber().toString(16).equals(serial) ? streak[0] + 1 : 0;
            return streak[0] >= 3;
        }, e + " to serve serial " + serial);
        return leaf[0];
    }

    /** The serial of the self-signed certificate every host starts with. */
    String seedSerial() throws Exception {
        try (var in = Files.newInputStream(seed.certPem())) {
            return ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getSerialNumber().toString(16).toLowerCase(Locale.ROOT);
        }
    }

    /** Starts a built-in (or team) runbook on the session's real actions. */
    static Run start(CompositionRoot session, String runbook, Map<String, String> params, boolean drill) throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var def = new RunbookCatalog(session.workspace(), new RunbookLoader(actions.types())).find(runbook);
        return new RunbookEngine(actions, session.history(), session.clock()).start(def, params, drill, RunListener.NONE);
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {nginx, primary, secondary, third, dns}) {
            try {
                if (c != null) c.close();
            } catch (Exception ignored) {
                // closing the lab
            }
        }
    }
}

package dev.certops.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.testing.FreePort;
import dev.certops.testing.GatedCommand;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.Poll;
import dev.certops.testing.PostgresFixture;
import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two consoles (alice's in its own JVM, bob's in this one) share a PostgreSQL history and deploy the
 * same certificate to a real nginx: bob is refused while alice deploys, naming her; alice's console
 * is killed with SIGKILL in the middle of the host's reload; her lease lapses (leaseTtl 3s) and
 * bob's deploy then goes through, leaving the host serving the new version.
 */
class TwoConsolesDeployTest {
    @TempDir Path dir;
    NginxFixture nginx;
    GatedCommand reloadGate;
    Workspace ws;
    int port;
    TestTls v1;
    TestTls v2;
    String url;

    private Map<String, String> as(String user) {
        return Map.of("USER", user, "CERTOPS_PG_PASSWORD", PostgresFixture.password());
    }

    @BeforeEach
    void version1LiveAndATeamHistory() throws Exception {
        url = PostgresFixture.shared().newDatabase();
        v1 = TestTls.create(dir.resolve("v1"));
        v2 = TestTls.create(dir.resolve("v2"));
        ws = new Workspace(dir.resolve("ws"));
        ws.create();
        v1.storeAs(ws, "web", "1");
        v2.storeAs(ws, "web", "2");
        Path certDir = dir.resolve("host/ssl");
        Files.createDirectories(certDir);
        port = FreePort.tcp();
        nginx = NginxFixture.in(dir.resolve("nginx")).addServer("localhost", port, v1.certPem(), v1.keyPem());
        nginx.start();
        nginx.serveLiveLinkInsteadOf(v1.certPem(), v1.keyPem(), certDir);
        // the reload blocks at the gate when armed (then gives up without reloading): the kill happens there
        reloadGate = GatedCommand.around(dir, "reload.sh", nginx.reloadCommand());
        Files.writeString(ws.configFile(), """
                history: { url: "%s", user: %s, ssl: disable, leaseTtl: 3s }
                hosts:
                  - { id: web-1, address: local, certDir: %s, test: "%s", reload: "%s" }
                certificates:
                  - id: web
                    names: [localhost]
                    deploy: { waves: [[web-1]] }
                    endpoints: [{ host: 127.0.0.1, port: %d, sni: localhost }]
                """.formatted(url, PostgresFixture.USER, certDir, nginx.testCommand(), reloadGate.command(), port));
        CliRun first = CliRun.run(as("tester"), "", "deploy", "web", "--version", "1", "--workspace", ws.root().toString());
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(served()).isEqualTo(v1.serial());
    }

    @AfterEach
    void stop() throws Exception {
        if (reloadGate != null) reloadGate.release();
        if (nginx != null) nginx.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theSecondConsoleIsRefusedNamingTheHolderAndProceedsWhenTheKilledHoldersLeaseLapses() throws Exception {
        reloadGate.arm();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.certops.cli.Cli",
                "deploy", "web", "--version", "2", "--workspace", ws.root().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("alice.out").toFile());
        pb.environment().putAll(as("alice"));
        Process alice = pb.start();
        try {
            reloadGate.awaitBlocked(Duration.ofSeconds(60), "alice's deploy to reach the host's reload");

            CliRun refused = CliRun.run(as("bob"), "", "deploy", "web", "--version", "2", "--workspace", ws.root().toString());
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(refused.err()).contains("web is being deployed by alice@", "certops deploy web");
        } finally {
            alice.destroyForcibly(); // SIGKILL mid-deploy: no release of the lease, no more heartbeats
            alice.waitFor();
        }
        reloadGate.release(); // the orphaned reload gives up without reloading
        assertThat(served()).as("alice's killed deploy never reloaded").isEqualTo(v1.serial());

        Poll.until(Duration.ofSeconds(30), () -> CliRun.run(as("bob"), "", "lease", "list", "--workspace", ws.root().toString()).out()
                .contains("No leases"), "alice's lease to lapse");
        CliRun proceeds = CliRun.run(as("bob"), "", "deploy", "web", "--version", "2", "--workspace", ws.root().toString());

        assertThat(proceeds.exitCode()).as(proceeds.out() + proceeds.err()).isZero();
        TestTls.awaitServedSteadily(port, "localhost", v2.serial()); // an old nginx worker may answer once more after the verified reload
        assertThat(Files.readSymbolicLink(dir.resolve("host/ssl/live")).toString()).as("live points at bob's release, the newest")
                .isEqualTo("releases/" + newest(dir.resolve("host/ssl/releases")));
        HistoryDatabase db = new HistoryDatabase.Postgres(url, PostgresFixture.USER, PostgresFixture.password(), "disable");
        try (HistoryStore h = HistoryStores.open(db, "auditor@test", Clock.systemUTC())) {
            List<HistoryEvent> expired = h.query(EventQuery.all().kind(EventKinds.LEASE_EXPIRED));
            assertThat(expired).singleElement().satisfies(e -> assertThat(e.details()).contains("\"previousActor\":\"alice@"));
            assertThat(h.verify().ok()).isTrue();
        }
    }

    private static String newest(Path releases) throws Exception {
        try (var s = Files.list(releases)) {
            return s.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private String served() throws Exception { return TestTls.servedSerial(port, "localhost"); }

}

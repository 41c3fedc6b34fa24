package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.testing.FreePort;
import dev.certops.testing.GatedCommand;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine runs in a separate JVM ({@code certops runbook run}) and is killed with SIGKILL while
 * the deploy step waits in the host's reload; {@code certops runbook resume} then re-checks the
 * interrupted step, deploys again, and leaves the host consistent — serving the new version.
 */
class KilledEngineResumeTest {
    @TempDir Path dir;
    NginxFixture nginx;
    GatedCommand reloadGate;
    Workspace ws;
    int port;
    TestTls v1;
    TestTls v2;

    @BeforeEach
    void version1LiveOnNginx() throws Exception {
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
                hosts:
                  - { id: web-1, address: local, certDir: %s, test: "%s", reload: "%s" }
                certificates:
                  - id: web
                    names: [localhost]
                    deploy: { waves: [[web-1]] }
                    endpoints: [{ host: 127.0.0.1, port: %d, sni: localhost }]
                """.formatted(certDir, nginx.testCommand(), reloadGate.command(), port));
        Files.writeString(ws.runbooksDir().resolve("roll-v2.yaml"), """
                name: roll-v2
                title: Roll out version 2
                steps:
                  - { id: deploy, title: Deploy version 2, action: deploy, with: { certificate: web, version: "2" } }
                  - { id: verify, title: Verify version 2, action: verify-served, with: { certificate: web, serial: "${steps.deploy.serial}" } }
                """);
        assertThat(CliRun.run("deploy", "web", "--version", "1", "--workspace", ws.root().toString()).exitCode()).isZero();
        assertThat(served()).isEqualTo(v1serial());
    }

    @AfterEach
    void stop() throws Exception {
        if (reloadGate != null) reloadGate.release();
        if (nginx != null) nginx.close();
    }

    private String served() throws Exception { return TestTls.servedSerial(port, "localhost"); }

    private String v1serial() throws Exception { return v1.serial(); }

    @Test
    void resumeAfterKillDashNineMidDeployFinishesWithAConsistentHost() throws Exception {
        reloadGate.arm();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.certops.cli.Cli",
                "runbook", "run", "roll-v2", "--yes", "--workspace", ws.root().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("engine.out").toFile());
        pb.environment().put("USER", "tester"); // the same user as the resuming CliRun: its lease is taken over at once
        Process engine = pb.start();
        try {
            reloadGate.awaitBlocked(Duration.ofSeconds(60), "the deploy step to reach the host's reload");
        } finally {
            engine.destroyForcibly(); // SIGKILL, in the middle of the deploy step
            engine.waitFor();
        }
        reloadGate.release(); // lets the orphaned reload script exit (without reloading)
        assertThat(served()).as("the killed deploy never reloaded").isEqualTo(v1serial());

        String runId;
        try (var h = SqliteHistoryStore.open(ws.historyFile(), "test")) {
            List<HistoryEvent> steps = h.query(EventQuery.all().kind(EventKinds.RUNBOOK_STEP));
            assertThat(steps.get(steps.size() - 1).outcome()).isEqualTo("running");
            runId = steps.get(0).subject();
        }
        CliRun r = CliRun.run(Map.of(), "", "runbook", "resume", runId, "--yes", "--workspace", ws.root().toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        TestTls.awaitServedSteadily(port, "localhost", v2.serial()); // an old nginx worker may answer once more after the verified reload
        try (var h = SqliteHistoryStore.open(ws.historyFile(), "test")) {
            List<HistoryEvent> run = h.query(EventQuery.all().subject(runId).kind(EventKinds.RUNBOOK_STEP));
            assertThat(run.stream().filter(e -> e.outcome().equals("succeeded") && e.details().contains("\"step\":\"deploy\""))).hasSize(1);
            assertThat(run.stream().filter(e -> e.outcome().equals("succeeded") && e.details().contains("\"step\":\"verify\""))).hasSize(1);
            assertThat(h.query(EventQuery.all().kind(EventKinds.LEASE_EXPIRED))).as("the killed engine's lease was taken over at once")
                    .singleElement().satisfies(e -> assertThat(e.details()).contains("its console process on this machine has ended"));
            assertThat(h.query(EventQuery.all().subject(runId).kind(EventKinds.RUNBOOK_FINISHED))).singleElement()
                    .satisfies(e -> assertThat(e.outcome()).isEqualTo("succeeded"));
            assertThat(h.verify().ok()).isTrue();
        }
        Path live = dir.resolve("host/ssl/live");
        assertThat(Files.isSymbolicLink(live)).isTrue();
        assertThat(Files.isRegularFile(live.resolve("fullchain.pem"))).isTrue();
    }
}

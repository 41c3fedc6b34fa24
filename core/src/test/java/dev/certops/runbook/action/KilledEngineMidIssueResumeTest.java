package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.Poll;
import java.time.Clock;
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
 * The built-in renewal-failing runs in a separate JVM ({@code certops runbook run --yes}) and is
 * killed with SIGKILL in the middle of its issue step: the order exists at Pebble (and in history),
 * its DNS-01 challenge is being published, no certificate is stored. {@code certops runbook resume}
 * re-attaches to that order instead of ordering again, then deploys and verifies. And when the
 * engine dies after the certificate is stored but before the step is recorded done, resume re-checks
 * the step and finds the certificate instead of ordering a second one.
 */
class KilledEngineMidIssueResumeTest {
    @TempDir Path dir;
    RunbookLab lab;
    RunbookLab.Site web;
    Workspace ws;

    @BeforeEach
    void aHostServingTheOldCertificate() throws Exception {
        lab = new RunbookLab(dir.resolve("lab"));
        web = lab.site("web-1", 1, "web.example.test", false);
        lab.startNginx();
        try (var session = lab.workspace("none", """
                  - id: web
                    names: [web.example.test]
                    challenge: { type: dns-01, dns: hook }
                    cas: [main-ca]
                    deploy: { waves: [[web-1]] }
                    endpoints: [%s]
                """.formatted(web.endpointYaml()))) {
            ws = session.workspace();
        }
    }

    @AfterEach
    void stop() throws Exception {
        Files.writeString(lab.dir.resolve("GO"), "");
        lab.close();
    }

    private List<HistoryEvent> events(String kind) throws Exception {
        try (var h = SqliteHistoryStore.open(ws.historyFile(), "test")) {
            return h.query(EventQuery.all().kind(kind).subject("web"));
        }
    }

    @Test
    void resumeAfterKillDashNineMidIssueReattachesToThePendingOrderAndFinishes() throws Exception {
        Files.writeString(lab.dir.resolve("ARMED"), "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.certops.cli.Cli",
                "runbook", "run", "renewal-failing", "--param", "certificate=web", "--yes", "--workspace", ws.root().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("engine.out").toFile());
        pb.environment().put("USER", "tester"); // the same user as the resuming CliRun: its lease is taken over at once
        Process engine = pb.start();
        try {
            Poll.until(Duration.ofSeconds(60), () -> Files.exists(lab.dir.resolve("BLOCKED")), "the issue step to publish its DNS-01 challenge");
        } finally {
            engine.destroyForcibly(); // SIGKILL, with the order created and not finalized
            engine.waitFor();
        }
        Files.writeString(lab.dir.resolve("GO"), ""); // lets the orphaned hook exit (without publishing)
        assertThat(events(EventKinds.ACME_ORDER_CREATED)).hasSize(1);
        assertThat(events(EventKinds.ACME_CERT_ISSUED)).isEmpty();
        assertThat(RunbookLab.served(web.endpoint())).isEqualTo(lab.seedSerial());

        String runId;
        try (var h = SqliteHistoryStore.open(ws.historyFile(), "test")) {
            List<HistoryEvent> steps = h.query(EventQuery.all().kind(EventKinds.RUNBOOK_STEP));
            HistoryEvent last = steps.get(steps.size() - 1);
            assertThat(last.outcome()).isEqualTo("running");
            assertThat(last.details()).contains("\"step\":\"issue\"");
            runId = last.subject();
        }
        CliRun r = CliRun.run(Map.of(), "", "runbook", "resume", runId, "--yes", "--workspace", ws.root().toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();

        assertThat(events(EventKinds.ACME_ORDER_CREATED)).as("no duplicate order").hasSize(1);
        assertThat(events(EventKinds.ACME_ORDER_REATTACHED)).singleElement()
                .satisfies(e -> assertThat(e.details()).contains(orderUrl(events(EventKinds.ACME_ORDER_CREATED).get(0))));
        List<HistoryEvent> issued = events(EventKinds.ACME_CERT_ISSUED);
        assertThat(issued).hasSize(1);
        String serial = issued.get(0).details().replaceAll(".*\"serial\":\"([0-9a-f]+)\".*", "$1");
        RunbookLab.awaitServed(web.endpoint(), serial); // the host serves the resumed run's certificate
        Path live = web.certDir().resolve("live");
        assertThat(Files.isSymbolicLink(live)).isTrue();
        assertThat(Files.isRegularFile(live.resolve("fullchain.pem"))).isTrue();
        try (var h = SqliteHistoryStore.open(ws.historyFile(), "test")) {
            assertThat(h.query(EventQuery.all().subject(runId).kind(EventKinds.RUNBOOK_FINISHED))).singleElement()
                    .satisfies(e -> assertThat(e.outcome()).isEqualTo("succeeded"));
            assertThat(h.verify().ok()).isTrue();
        }
    }

    /** The engine "dies" (an Error nothing catches) right after the certificate is stored and before the step is recorded done. */
    private static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
        Crash() { super("simulated crash"); }
    }

    @Test
    void resumeAfterACrashBetweenStoringTheCertificateAndRecordingTheStepDoesNotOrderAgain() throws Exception {
        String runId;
        try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            var actions = RunbookActions.forSession(session, session.operations());
            var def = new RunbookCatalog(ws, new RunbookLoader(actions.types())).find("renewal-failing");
            Run run = new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of("certificate", "web"), false, new RunListener() {
                @Override public void log(StepState step, String line) {
                    if (line.contains("issued serial")) throw new Crash();
                }
            });
            runId = run.id();
            RunState s = run.advance();
            while (!s.current().orElseThrow().stepId().equals("issue")) s = run.approve();
            assertThatThrownBy(run::approve).isInstanceOf(Crash.class);
        }
        assertThat(events(EventKinds.ACME_CERT_ISSUED)).hasSize(1);

        try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            Run resumed = new RunbookEngine(RunbookActions.forSession(session, session.operations()), session.history(), session.clock()).resume(runId, RunListener.NONE);
            RunState s = resumed.advance();
            StepState issue = s.steps().stream().filter(x -> x.stepId().equals("issue")).findFirst().orElseThrow();
            assertThat(issue.status()).isEqualTo(StepState.Status.SUCCEEDED);
            assertThat(issue.summary()).contains("found issued before the interruption").contains("not ordered again");
            while (s.status() == RunState.Status.WAITING_APPROVAL) s = resumed.approve();
            assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.SUCCEEDED);
            RunbookLab.awaitServed(web.endpoint(), (String) issue.outputs().get("serial"));
        }
        assertThat(events(EventKinds.ACME_ORDER_CREATED)).as("no second order").hasSize(1);
        assertThat(events(EventKinds.ACME_CERT_ISSUED)).as("no duplicate issuance").hasSize(1);
    }

    private static String orderUrl(HistoryEvent created) {
        return created.details().replaceAll(".*\"orderUrl\":\"([^\"]+)\".*", "$1");
    }
}

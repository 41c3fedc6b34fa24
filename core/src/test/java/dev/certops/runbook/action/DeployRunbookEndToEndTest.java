package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.report.ReportFormats;
import dev.certops.report.RunReport;
import dev.certops.report.RunReports;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.DrillHostWorkspace;
import dev.certops.testing.NginxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drill runbook against a real nginx on a drill host (address: local): deploy version 1, verify it
 * is served, deploy version 2, verify, roll back, verify version 1 is served again — then the report.
 */
class DeployRunbookEndToEndTest {
    @TempDir Path dir;
    NginxFixture nginx;
    CompositionRoot session;

    @BeforeEach
    void nginxOnADrillHost() throws Exception {
        DrillHostWorkspace drill = DrillHostWorkspace.create(dir);
        nginx = drill.nginx();
        session = new CompositionRoot(drill.workspace(), Map.of("USER", "tester"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (session != null) session.close();
        if (nginx != null) nginx.close();
    }

    @Test
    void aDrillDeploysVerifiesRollsBackAndReportsTimeToRecover() throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var def = new RunbookLoader(actions.types()).parse(Path.of("e2e.yaml"), "e2e.yaml", """
                name: deploy-drill
                title: Deploy, verify, roll back
                steps:
                  - { id: deploy-v1, title: Deploy version 1, action: deploy, with: { certificate: web, version: "1" } }
                  - { id: verify-v1, title: Verify version 1, action: verify-served, with: { certificate: web, serial: "${steps.deploy-v1.serial}" } }
                  - { id: deploy-v2, title: Deploy version 2, action: deploy, with: { certificate: web, version: "2", wave: canary } }
                  - { id: verify-v2, title: Verify version 2, action: verify-served, with: { certificate: web, serial: "${steps.deploy-v2.serial}", not-serial: "${steps.deploy-v1.serial}" } }
                  - { id: rollback, title: Roll back, action: rollback, with: { certificate: web } }
                  - { id: verify-back, title: Verify version 1 again, action: verify-served, with: { certificate: web, serial: "${steps.deploy-v1.serial}" } }
                """);
        Run run = new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of(), true, RunListener.NONE);
        var preview = run.preview().orElseThrow();
        assertThat(preview.summary()).isEqualTo("Deploy to 1 host (drill hosts only)");
        assertThat(String.join("\n", preview.details())).contains("reload");
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("releases/(\\d{8}T\\d{9}Z-[0-9a-f]+)").matcher(String.join("\n", preview.details()));
        assertThat(named.find()).as("the preview names the release it will create").isTrue();

        RunState s = run.advance();
        assertThat(s.steps()).as(s.steps().toString()).allMatch(x -> x.status() == StepState.Status.SUCCEEDED);
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(s.steps().get(3).summary()).contains("old serial").contains("served nowhere");
        assertThat(Files.readSymbolicLink(dir.resolve("drill-host/ssl/live")).toString())
                .as("after the rollback, version 1 is live again in the very release its preview named").isEqualTo("releases/" + named.group(1));

        RunReport report = RunReports.fromHistory(session.history(), run.id());
        assertThat(report.success()).isTrue();
        assertThat(report.timeToRecover()).isPresent();
        assertThat(report.deployments()).extracting(RunReport.Deployment::target).contains("web@drill-1");
        Path out = ReportFormats.writeAll(report, dir.resolve("reports"));
        assertThat(Files.readString(out.resolve(ReportFormats.PROM_FILE))).contains("certops_drill_success{runbook=\"deploy-drill\",drill=\"true\"} 1");
    }

    @Test
    void aDeployStepIsRefusedNamingTheConsoleThatHoldsTheCertificateAndChangesNothing() throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var def = new RunbookLoader(actions.types()).parse(Path.of("e2e.yaml"), "e2e.yaml", """
                name: deploy-one
                title: Deploy version 2
                steps:
                  - { id: deploy-v2, title: Deploy version 2, action: deploy, with: { certificate: web, version: "2" } }
                """);
        try (var bob = new dev.certops.lease.LeaseService(new dev.certops.history.HistoryDatabase.Sqlite(session.workspace().historyFile()),
                session.history(), "bob@desktop", "c-bob", session.clock(), dev.certops.lease.LeaseService.DEFAULT_TTL);
             var held = bob.acquire("web", "deploy", "certops deploy web")) {
            Run run = new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of(), true, RunListener.NONE);

            RunState s = run.advance();

            assertThat(s.steps().get(0).status()).isEqualTo(StepState.Status.FAILED);
            assertThat(s.steps().get(0).summary()).startsWith("web is being deployed by bob@desktop since ")
                    .contains("certops deploy web", "nothing was changed");
            assertThat(Files.exists(dir.resolve("drill-host/ssl/live"))).as("no release went live").isFalse();
        }
    }

    @Test
    void aRunHoldsTheLeaseOnEachCertificateItDeploysWhileTheStepRunsAndReleasesIt() throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var def = new RunbookLoader(actions.types()).parse(Path.of("e2e.yaml"), "e2e.yaml", """
                name: deploy-one
                title: Deploy version 2
                steps:
                  - { id: deploy-v2, title: Deploy version 2, action: deploy, with: { certificate: web, version: "2" } }
                """);
        Run run = new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of(), true, RunListener.NONE);

        assertThat(run.advance().status()).isEqualTo(RunState.Status.SUCCEEDED);

        var leases = session.history().query(dev.certops.history.EventQuery.all().kind("lease."));
        assertThat(leases).extracting(dev.certops.history.HistoryEvent::kind)
                .containsExactly(dev.certops.history.EventKinds.LEASE_ACQUIRED, dev.certops.history.EventKinds.LEASE_RELEASED);
        assertThat(leases.get(0).subject()).isEqualTo("web");
        assertThat(leases.get(0).details()).contains("runbook deploy-one, run " + run.id() + " (drill)");
        assertThat(session.leases().current()).isEmpty();
    }
}

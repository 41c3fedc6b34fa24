package dev.certops.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.Workspace;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.HostOutcome;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.lease.HeldLease;
import dev.certops.lease.LeaseHeldException;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepState;
import dev.certops.runbook.action.RunbookActions;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.DrillHostWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations layer against a real nginx on a local drill host (one nginx for the class): what a gate
 * shows is the plan that is then executed — release folder, hosts, issuing CA — whoever asks.
 */
class CertificateOperationsTest {
    @TempDir static Path dir;
    static DrillHostWorkspace drill;
    static Path certDir;
    static Workspace ws;

    @BeforeAll
    static void nginxOnADrillHost() throws Exception {
        drill = DrillHostWorkspace.create(dir);
        ws = drill.workspace();
        certDir = drill.certDir();
    }

    @AfterAll
    static void stop() {
        if (drill != null) drill.close();
    }

    private static CompositionRoot session() {
        return new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
    }

    @Test
    void theDeployExecutesThePlanItsGateShowedReleaseHostsAndCa() throws Exception {
        try (CompositionRoot session = session()) {
            CertificateOperations ops = session.operations();
            DeployPlan plan = ops.planDeploy("web", Optional.of("2"), Set.of(), DeploySettings.DEFAULT, Optional.empty());
            List<String> gate = new ArrayList<>();
            gate.add(plan.summary());
            for (HostOutcome o : plan.preview()) if (o instanceof HostOutcome.Planned p) gate.addAll(p.commands());
            assertThat(String.join("\n", gate)).contains("releases/" + plan.release(), "drill-1", plan.ca());
            assertThat(plan.hosts()).containsExactly("drill-1");

            DeployResult result = ops.deploy(plan, DeployListener.NONE, "test deploy", notice -> { });

            assertThat(result.plan()).as("the executed plan is the object the gate showed").isSameAs(plan);
            assertThat(result.ok()).as(result.rollout().summary()).isTrue();
            assertThat(result.rollout().hosts()).extracting(HostOutcome::hostId).containsExactlyElementsOf(plan.hosts());
            assertThat(Files.readSymbolicLink(certDir.resolve("live")).toString()).isEqualTo("releases/" + plan.release());
            assertThat(session.history().query(EventQuery.all().kind(EventKinds.DEPLOY_INTENT).subject("web")))
                    .as("the write-ahead record names the planned release").anyMatch(e -> e.details().contains(plan.release()));
        }
    }

    @Test
    void aRunbookStepDeploysTheReleaseItsGateNamed() throws Exception {
        try (CompositionRoot session = session()) {
            var actions = RunbookActions.forSession(session, session.operations());
            var def = new RunbookLoader(actions.types()).parse(Path.of("one.yaml"), "one.yaml", """
                    name: one-deploy
                    title: One deploy
                    steps:
                      - { id: deploy, title: Deploy version 1, action: deploy, with: { certificate: web, version: "1" } }
                    """);
            Run run = new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of(), true, RunListener.NONE);
            String gate = String.join("\n", run.preview().orElseThrow().details());
            RunState s = run.advance();
            assertThat(s.steps()).as(s.steps().toString()).allMatch(x -> x.status() == StepState.Status.SUCCEEDED);
            String live = Files.readSymbolicLink(certDir.resolve("live")).toString();
            assertThat(gate).as("the gate named the release now live").contains(live);
        }
    }

    @Test
    void theRollbackExecutesThePlanItsGateShowedHostAndPutsTheReleaseBeforeBack() throws Exception {
        try (CompositionRoot session = session()) {
            CertificateOperations ops = session.operations();
            DeployPlan before = ops.planDeploy("web", Optional.of("1"), Set.of(), DeploySettings.DEFAULT, Optional.empty());
            assertThat(ops.deploy(before, DeployListener.NONE, "test deploy", n -> { }).ok()).isTrue();
            DeployPlan after = ops.planDeploy("web", Optional.of("2"), Set.of(), DeploySettings.DEFAULT, Optional.empty());
            assertThat(ops.deploy(after, DeployListener.NONE, "test deploy", n -> { }).ok()).isTrue();
            RollbackPlan plan = ops.planRollback("web", "drill-1", Optional.empty());
            assertThat(plan.preview()).contains("web → drill-1", plan.host().orElseThrow().reloadCommand());

            HostOutcome o = ops.rollback(plan, DeployListener.NONE, "test rollback", n -> { });

            assertThat(o.hostId()).as("the host the gate named").isEqualTo(plan.hostId());
            assertThat(o).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> assertThat(rb.restoredVerified()).isTrue());
            assertThat(Files.readSymbolicLink(certDir.resolve("live")).toString()).isEqualTo("releases/" + before.release());
        }
    }

    @Test
    void aRunbookRollbackStepRollsBackTheHostsItsGateNamed() throws Exception {
        try (CompositionRoot session = session()) {
            CertificateOperations ops = session.operations();
            for (String version : List.of("1", "2")) {
                assertThat(ops.deploy(ops.planDeploy("web", Optional.of(version), Set.of(), DeploySettings.DEFAULT, Optional.empty()),
                        DeployListener.NONE, "test deploy", n -> { }).ok()).isTrue();
            }
            var actions = RunbookActions.forSession(session, ops);
            var def = new RunbookLoader(actions.types()).parse(Path.of("one.yaml"), "one.yaml", """
                    name: one-rollback
                    title: One rollback
                    steps:
                      - { id: back, title: Roll back, action: rollback, with: { certificate: web } }
                    """);
            Run run = new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of(), true, RunListener.NONE);
            List<String> gate = run.preview().orElseThrow().details();
            assertThat(gate).singleElement().asString().startsWith("web → drill-1:");

            RunState s = run.advance();

            assertThat(s.steps()).as(s.steps().toString()).allMatch(x -> x.status() == StepState.Status.SUCCEEDED);
            assertThat(s.steps().get(0).outputs().get("rolledBack")).asList().containsExactly("web@drill-1");
        }
    }

    @Test
    void anUnknownCertificateIsOneMessageForEveryOperation() throws Exception {
        try (CompositionRoot session = session()) {
            CertificateOperations ops = session.operations();
            assertThatThrownBy(() -> ops.planDeploy("nope", Optional.empty(), Set.of(), DeploySettings.DEFAULT, Optional.empty()))
                    .isInstanceOf(UnknownCertificateException.class).hasMessageContaining("no certificate 'nope'").hasMessageContaining("known: web");
            assertThatThrownBy(() -> ops.planRollback("nope", "drill-1", Optional.empty())).isInstanceOf(UnknownCertificateException.class);
            assertThatThrownBy(() -> ops.lease("nope", "deploy", "test", n -> { })).isInstanceOf(UnknownCertificateException.class);
        }
    }

    @Test
    void aCertificateLeasedByAnotherConsoleIsNotDeployedAndNothingChanges() throws Exception {
        try (CompositionRoot other = session(); CompositionRoot session = session()) {
            DeployPlan plan = session.operations().planDeploy("web", Optional.of("1"), Set.of(), DeploySettings.DEFAULT, Optional.empty());
            String liveBefore = Files.isSymbolicLink(certDir.resolve("live")) ? Files.readSymbolicLink(certDir.resolve("live")).toString() : "";
            try (HeldLease held = other.leases().acquire("web", "deploy", "another console's deploy")) {
                assertThatThrownBy(() -> session.operations().deploy(plan, DeployListener.NONE, "test deploy", n -> { }))
                        .isInstanceOf(LeaseHeldException.class).hasMessageContaining("another console's deploy");
            }
            String liveAfter = Files.isSymbolicLink(certDir.resolve("live")) ? Files.readSymbolicLink(certDir.resolve("live")).toString() : "";
            assertThat(liveAfter).isEqualTo(liveBefore);
        }
    }

    @Test
    void theSessionBuildsOneOperationsObject() {
        try (CompositionRoot session = session()) {
            assertThat(session.operations()).isSameAs(session.operations());
        }
    }
}

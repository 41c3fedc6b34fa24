package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.PebbleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** probe-ca against two real Pebble CAs: the primary stopped (an outage), the secondary up, each trusted through its own anchor. */
class ProbeCaActionTest {
    @TempDir Path dir;
    PebbleFixture primary;
    PebbleFixture secondary;
    CompositionRoot session;

    @BeforeEach
    void twoCas() throws Exception {
        primary = PebbleFixture.start(dir.resolve("primary"));
        secondary = PebbleFixture.start(dir.resolve("secondary"));
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                cas:
                  - { id: main-ca, directory: "%s", staging: "%s", trust: "%s", agreeToTerms: true, limits: none }
                  - { id: backup-ca, directory: "%s", staging: "%s", trust: "%s", agreeToTerms: true, limits: none }
                """.formatted(primary.directoryUrl(), primary.directoryUrl(), primary.trustAnchorPem(),
                secondary.directoryUrl(), secondary.directoryUrl(), secondary.trustAnchorPem()));
        session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
        primary.stop();
    }

    @AfterEach
    void stop() {
        if (session != null) session.close();
        if (primary != null) primary.close();
        if (secondary != null) secondary.close();
    }

    private RunState run(String with) throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var def = new RunbookLoader(actions.types()).parse(Path.of("t.yaml"), "t.yaml",
                "name: t\ntitle: T\nsteps:\n  - { id: probe, title: Probe, action: probe-ca, with: " + with + " }\n");
        Run run = new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of(), false, RunListener.NONE);
        return run.advance();
    }

    @Test
    void aDownPrimaryIsConfirmedWhenTheRunbookExpectsAnOutage() throws Exception {
        StepState s = run("{ ca: primary, expect: any }").steps().get(0);
        assertThat(s.status()).isEqualTo(StepState.Status.SUCCEEDED);
        assertThat(s.outputs()).containsEntry("reachable", false).containsEntry("ca", "main-ca");
        assertThat(s.summary()).contains("unreachable");
    }

    @Test
    void aDownPrimaryFailsTheStepWhenItShouldBeUpAndSaysWhatToDo() throws Exception {
        StepState s = run("{ ca: primary }").steps().get(0);
        assertThat(s.status()).isEqualTo(StepState.Status.FAILED);
        assertThat(s.reason()).contains("primary-ca-outage");
    }

    @Test
    void theSecondaryAnswersThroughItsTrustAnchorWithStatusAndLatency() throws Exception {
        StepState s = run("{ ca: secondary }").steps().get(0);
        assertThat(s.status()).as(s.summary()).isEqualTo(StepState.Status.SUCCEEDED);
        assertThat(s.outputs()).containsEntry("reachable", true).containsEntry("status", 200).containsKey("latencyMs");
    }

    @Test
    void aBrokenTrustFileFailsTheStepAsConfigurationNotAsAnOutage() throws Exception {
        Path notPem = dir.resolve("not-a-cert.pem");
        Files.writeString(notPem, "hello");
        session.close();
        Files.writeString(session.workspace().configFile(), Files.readString(session.workspace().configFile())
                .replace(secondary.trustAnchorPem().toString(), notPem.toString()));
        session = new CompositionRoot(session.workspace(), Map.of("USER", "tester"), Clock.systemUTC());

        StepState s = run("{ ca: secondary, expect: any }").steps().get(0);
        assertThat(s.status()).isEqualTo(StepState.Status.FAILED);
        assertThat(s.summary()).contains("was not probed", "trust: " + notPem + " cannot be used").doesNotContain("unreachable");
        assertThat(s.reason()).contains("certops.yaml");
    }
}

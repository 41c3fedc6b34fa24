package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mass revocation over ten certificates of one registered domain whose weekly budget allows six more under the safety line. */
class BudgetActionsTest {
    @TempDir Path dir;
    CompositionRoot session;

    @BeforeEach
    void tenCertificatesAndThirtyFourIssuancesThisWeek() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        StringBuilder yaml = new StringBuilder("""
                cas:
                  - { id: le, directory: "https://acme.example.test/dir", agreeToTerms: true, limits: letsencrypt }
                certificates:
                """);
        for (int i = 0; i < 10; i++) yaml.append("  - { id: c").append(i).append(", names: [s").append(i).append(".example.com] }\n");
        Files.writeString(ws.configFile(), yaml.toString());
        session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 34; i++) {
            events.add(new NewEvent(EventKinds.ACME_CERT_ISSUED, "old" + i, "ok", Map.of("ca", "le", "staging", false,
                    "account", "https://acme.example.test/acct/1", "names", List.of("old" + i + ".example.com"),
                    "serial", String.format("%x", 1000 + i), "notAfter", Instant.now().plusSeconds(86400 * 90).toString())));
        }
        session.history().appendAll(events);
    }

    @AfterEach
    void close() { session.close(); }

    private RunState run(String yaml) throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var def = new RunbookLoader(actions.types()).parse(Path.of("t.yaml"), "t.yaml", yaml);
        Run run = new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of(), false, RunListener.NONE);
        return run.advance();
    }

    @Test
    void planBatchesPutsSixNowAndSchedulesTheRestWithinTheSafetyLine() throws Exception {
        RunState s = run("""
                name: t
                title: T
                steps:
                  - { id: select, title: Select, action: select-certificates, with: { set: affected } }
                  - { id: plan, title: Plan, action: plan-batches, with: { certificates: "${set.affected}" } }
                  - { id: later, title: Report the rest, action: note, with: { text: "scheduled: ${set.batch-later}" } }
                """);
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        StepState plan = s.steps().get(1);
        assertThat(plan.summary()).isEqualTo("6 now, 4 scheduled later (safety line 80%)");
        assertThat((List<?>) plan.outputs().get("set.batch-now")).hasSize(6);
        assertThat((List<?>) plan.outputs().get("scheduled")).hasSize(4);
        assertThat(s.steps().get(2).summary()).matches("noted: scheduled: (c\\d,){3}c\\d");
    }

    @Test
    void checkBudgetFailsWhenTheBatchWouldCrossTheSafetyLineAndSaysUntilWhen() throws Exception {
        RunState s = run("""
                name: t
                title: T
                steps:
                  - { id: check, title: Check, action: check-budget, with: { certificates: [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9] } }
                """);
        assertThat(s.status()).isEqualTo(RunState.Status.FAILED);
        assertThat(s.steps().get(0).summary()).contains("would cross the budget");
    }

    @Test
    void theBuiltInMassRevocationPlansInsideTheBudgetAndWaitsForApprovalBeforeTheFirstRenewal() throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var catalog = new dev.certops.runbook.RunbookCatalog(session.workspace(), new RunbookLoader(actions.types()));
        Run run = new RunbookEngine(actions, session.history(), session.clock())
                .start(catalog.find("mass-revocation"), Map.of("configured-ca", "le"), false, RunListener.NONE); // nothing served or stored: by configuration
        RunState s = run.advance();
        assertThat(s.status()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(s.steps().get(1).summary()).isEqualTo("6 now, 4 scheduled later (safety line 80%)");
        assertThat(s.steps()).filteredOn(x -> x.stepId().equals("renew")).hasSize(6);
        var preview = run.preview().orElseThrow();
        assertThat(preview.changesTheWorld()).isTrue();
        assertThat(preview.summary()).as("one preview for the whole batch").startsWith("Renew: 6 items, ");
        assertThat(preview.details()).filteredOn(d -> d.startsWith("  ")).hasSize(6)
                .allSatisfy(d -> assertThat(d).contains("from CA 'le' at https://acme.example.test/dir"));
    }
}

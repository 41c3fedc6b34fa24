package dev.certops.app.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.config.Workspace;
import dev.certops.deploy.HostOutcome;
import dev.certops.runbook.ParamSpec;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepState;
import dev.certops.runbook.action.RunbookActions;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guided run's view-model over the real engine, the real actions and a real SQLite history; no network needed. */
class RunViewModelTest {
    @TempDir Path dir;
    Workspace ws;
    CompositionRoot session;
    RunbookEngine engine;
    RunbookCatalog catalog;
    final List<String> rolledBack = new ArrayList<>();

    @BeforeEach
    void workspaceWithTeamRunbooks() throws Exception {
        ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), "certificates:\n  - { id: api, names: [api.example.test] }\n");
        Files.createDirectories(ws.runbooksDir());
        Files.writeString(ws.runbooksDir().resolve("gated.yaml"), """
                name: gated
                title: A note, then an approved note
                params:
                  - { name: who, type: text, required: true, description: who is on call }
                steps:
                  - id: start
                    title: Note the start
                    action: note
                    with: { text: "started by ${param.who}" }
                  - id: announce
                    title: Announce the change
                    action: note
                    with: { text: "announced" }
                    gate: approve
                    guide: |
                      **Why:** the team must know.
                      - Post in *#incidents*
                """);
        Files.writeString(ws.runbooksDir().resolve("grouped.yaml"), """
                name: grouped
                title: For each certificate, a note then an approved note
                steps:
                  - id: pick
                    title: Pick the certificates
                    action: select-certificates
                    with: { only: api, set: picked }
                  - id: each
                    title: Per certificate
                    forEach: picked
                    guide: Both notes run for one certificate before the next.
                    steps:
                      - { id: first, title: First note, action: note, with: { text: "first ${item}" } }
                      - id: second
                        title: Second note
                        action: note
                        with: { text: "second ${item}" }
                        gate: approve
                        guide: Approve when the first note is in history.
                        check: the history shows both notes
                """);
        Files.writeString(ws.runbooksDir().resolve("failing.yaml"), """
                name: failing
                title: A wait past its deadline
                steps:
                  - id: too-long
                    title: Wait too long
                    action: wait
                    with: { for: 2m, deadline: 1m }
                """);
        open();
    }

    private void open() {
        session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
        var actions = RunbookActions.forSession(session, session.operations());
        try {
            engine = new RunbookEngine(actions, session.history(), session.clock());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        catalog = new RunbookCatalog(ws, new RunbookLoader(actions.types()));
    }

    @AfterEach
    void close() { session.close(); }

    private RunViewModel newRun() {
        return new RunViewModel(engine, BackgroundExecutor.inline(), Runnable::run, (c, h) -> {
            rolledBack.add(c + "@" + h);
            return new HostOutcome.RolledBack(h, "new", Optional.of("old"), "operator request", "requested by the operator", true,
                    "previous certificate served", Optional.empty(), Optional.empty());
        });
    }

    private RunbooksViewModel runbooks() {
        RunbooksViewModel vm = new RunbooksViewModel(catalog, engine, BackgroundExecutor.inline(),
                t -> t == ParamSpec.Type.CERTIFICATE ? List.of("api") : t == ParamSpec.Type.CA ? List.of("primary", "backup") : List.of(), this::newRun);
        vm.refresh();
        return vm;
    }

    private RunViewModel startGated() {
        RunbooksViewModel vm = runbooks();
        vm.select("gated");
        vm.fields().get(0).value().set("alice");
        return vm.start();
    }

    @Test
    void startingRunsUpToTheApproveGateShowingTheGuideAndPreview() {
        RunViewModel run = startGated();
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(run.steps()).extracting(StepState::status).containsExactly(StepState.Status.SUCCEEDED, StepState.Status.WAITING_APPROVAL);
        assertThat(run.steps().get(0).summary()).isEqualTo("noted: started by alice");
        assertThat(run.previewProperty().get().summary()).isEqualTo("Record a note in history");
        assertThat(run.previewProperty().get().details()).containsExactly("announced");
        assertThat(run.guideProperty().get()).contains("**Why:** the team must know.");
        assertThat(run.progressProperty().get()).isEqualTo(0.5);
        assertThat(run.log()).anyMatch(l -> l.contains("Note the start — succeeded")).anyMatch(l -> l.contains("waiting for approval"));
        assertThat(run.canApprove().get()).isTrue();
        assertThat(run.canSkip().get()).isTrue();
        assertThat(run.canRetry().get()).isFalse();
        assertThat(run.canAbort().get()).isTrue();
    }

    @Test
    void aStepInAGroupShowsTheGroupsGuideItsOwnGuideAndItsCheck() {
        RunbooksViewModel vm = runbooks();
        vm.select("grouped");
        RunViewModel run = vm.start();
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(run.steps()).extracting(StepState::key).containsExactly("pick", "first[api]", "second[api]");
        assertThat(run.steps().get(2).title()).isEqualTo("Second note — api");
        assertThat(run.guideProperty().get()).startsWith("Both notes run for one certificate before the next.")
                .contains("Approve when the first note is in history.").endsWith("**Check:** the history shows both notes");
        run.approve();
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.SUCCEEDED);
    }

    @Test
    void anApproveThatFailsShowsItsOwnErrorNotTheGatesMessage() throws Exception {
        RunViewModel run = startGated();
        session.history().close();
        run.approve();
        assertThat(run.messageProperty().get()).doesNotStartWith("Waiting for your approval").doesNotStartWith("Running").contains("history");
        assertThat(run.detailsProperty().get()).isNotBlank();
    }

    @Test
    void approvingRunsTheGatedStepAndTheRunSucceeds() {
        RunViewModel run = startGated();
        run.approve();
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(run.progressProperty().get()).isEqualTo(1.0);
        assertThat(run.previewProperty().get()).isNull();
        assertThat(run.messageProperty().get()).contains("succeeded");
        assertThat(run.canApprove().get()).isFalse();
        assertThat(run.canAbort().get()).isFalse();
    }

    @Test
    void aFailedStepEnablesRetryAndSkipButNotApprove() {
        RunbooksViewModel vm = runbooks();
        vm.select("failing");
        RunViewModel run = vm.start();
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.FAILED);
        assertThat(run.messageProperty().get()).contains("past its deadline", "shorten 'for'");
        assertThat(run.canRetry().get()).isTrue();
        assertThat(run.canSkip().get()).isTrue();
        assertThat(run.canApprove().get()).isFalse();
        run.retry();
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.FAILED);
        assertThat(run.log()).filteredOn(l -> l.contains("Wait too long — failed")).hasSize(2);
    }

    @Test
    void skipNeedsAReasonAndRecordsIt() {
        RunbooksViewModel vm = runbooks();
        vm.select("failing");
        RunViewModel run = vm.start();
        run.skip("  ");
        assertThat(run.messageProperty().get()).contains("A skip needs a reason");
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.FAILED);
        run.skip("the CA answered; no need to wait");
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(run.steps().get(0).status()).isEqualTo(StepState.Status.SKIPPED);
        assertThat(run.steps().get(0).reason()).isEqualTo("the CA answered; no need to wait");
    }

    @Test
    void abortEndsTheRunAndDisablesEveryControl() {
        RunViewModel run = startGated();
        run.abort();
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.ABORTED);
        assertThat(run.deployedOnAbort()).as("nothing was deployed, so no rollback is offered").isEmpty();
        assertThat(List.of(run.canApprove().get(), run.canRetry().get(), run.canSkip().get(), run.canAbort().get())).containsOnly(false);
    }

    @Test
    void aMissingRequiredParameterKeepsTheFormAndSaysWhichFieldToFill() {
        RunbooksViewModel vm = runbooks();
        vm.select("gated");
        assertThat(vm.missing()).isEqualTo("Choose who first.");
        assertThat(vm.start()).as("no empty run replaces the form").isNull();
        assertThat(vm.activeRunProperty().get()).isNull();
        assertThat(vm.messageProperty().get()).isEqualTo("Choose who first.");
    }

    @Test
    void anUnfinishedRunIsOfferedAfterARestartAndResumesAtItsGate() {
        RunViewModel first = startGated();
        String id = first.runIdProperty().get();
        session.close();
        open();
        RunbooksViewModel vm = runbooks();
        assertThat(vm.unfinished()).containsExactly(id);
        assertThat(vm.messageProperty().get()).contains("1 unfinished run from before");
        RunViewModel resumed = vm.resume(id);
        assertThat(resumed.statusProperty().get()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(resumed.previewProperty().get().details()).containsExactly("announced");
        resumed.approve();
        assertThat(resumed.statusProperty().get()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(resumed.steps().get(0).summary()).as("the completed step is not repeated").isEqualTo("noted: started by alice");
    }

    @Test
    void theStartFormOffersWorkspaceChoicesAndTheDefaults() {
        RunbooksViewModel vm = runbooks();
        assertThat(vm.entries()).extracting(RunbookCatalog.Entry::name).contains("gated", "failing", "primary-ca-outage");
        vm.select("primary-ca-outage");
        assertThat(vm.fields()).extracting(RunbooksViewModel.ParamField::label).containsExactly("certificate *", "ca");
        assertThat(vm.fields().get(0).choices()).containsExactly("api");
        assertThat(vm.fields().get(0).value().get()).as("the only certificate is preselected").isEqualTo("api");
        assertThat(vm.fields().get(1).choices()).containsExactly("secondary", "primary", "backup");
        assertThat(vm.fields().get(1).value().get()).isEqualTo("secondary");
        assertThat(vm.params()).containsEntry("certificate", "api").containsEntry("ca", "secondary");
    }

    @Test
    void theDrillToggleReachesTheRun() {
        RunbooksViewModel vm = runbooks();
        vm.select("gated");
        vm.fields().get(0).value().set("bob");
        vm.drillProperty().set(true);
        RunViewModel run = vm.start();
        assertThat(run.drillProperty().get()).isTrue();
        assertThat(run.statusProperty().get()).isEqualTo(RunState.Status.WAITING_APPROVAL);
    }
}

package dev.certops.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.history.EventKinds;
import dev.certops.runbook.StepState.Status;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookEngineTest {
    @TempDir Path dir;
    World world;
    EngineHarness h;

    @BeforeEach
    void setUp() throws Exception {
        world = new World();
        h = new EngineHarness(dir, world);
    }

    @AfterEach
    void tearDown() throws Exception { h.close(); }

    private static final String GATED = """
            name: gated
            title: Gated
            steps:
              - id: swap
                title: Swap the release
                action: touch
                with: { target: web-1 }
                gate: approve
            """;

    @Test
    void approveGateWaitsAndShowsThePreviewBeforeDoingAnything() throws Exception {
        Run run = h.start(GATED, Map.of(), false);
        RunState s = run.advance();
        assertThat(s.status()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(world.calls).isEmpty();
        assertThat(h.previews).singleElement().satisfies(p -> {
            assertThat(p.summary()).isEqualTo("will touch web-1");
            assertThat(p.details()).containsExactly("host web-1: ln -sfn release current");
            assertThat(p.changesTheWorld()).isTrue();
        });
        assertThat(run.approve().status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(world.calls).containsExactly("touch web-1");
    }

    @Test
    void manualStepWaitsForTheOperatorAndIsRecordedAsDoneByThem() throws Exception {
        Run run = h.start("""
                name: manual
                title: Manual
                steps:
                  - id: call-ca
                    title: Call the CA's support line
                    guide: Ask whether the outage is acknowledged.
                """, Map.of(), false);
        assertThat(run.advance().status()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(h.previews.get(0).details()).containsExactly("Ask whether the outage is acknowledged.");
        RunState done = run.approve();
        assertThat(done.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(done.steps().get(0).summary()).isEqualTo("done by the operator");
        assertThat(h.steps(run.id())).extracting(e -> e.outcome()).containsExactly("waiting_approval", "succeeded");
    }

    @Test
    void forEachRepeatsOverASetPublishedByAnEarlierStep() throws Exception {
        Run run = h.start("""
                name: each
                title: Each
                steps:
                  - id: select
                    title: Select
                    action: publish
                    with: { set: affected, items: [api, www, mail] }
                  - id: deploy
                    title: Deploy
                    action: touch
                    with: { target: "${item}" }
                    forEach: affected
                """, Map.of(), false);
        RunState s = run.advance();
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(world.calls).as("the items run side by side, in any order").startsWith("publish")
                .containsExactlyInAnyOrder("publish", "touch api", "touch www", "touch mail");
        assertThat(s.steps()).extracting(StepState::key).containsExactly("select", "deploy[api]", "deploy[www]", "deploy[mail]");
    }

    @Test
    void forEachOverAnEmptySetIsSkippedAndSaysSo() throws Exception {
        Run run = h.start("""
                name: each
                title: Each
                steps:
                  - id: select
                    title: Select
                    action: publish
                    with: { set: affected, items: [] }
                  - id: deploy
                    title: Deploy
                    action: touch
                    with: { target: "${item}" }
                    forEach: affected
                """, Map.of(), false);
        RunState s = run.advance();
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(s.steps().get(1).status()).isEqualTo(Status.SKIPPED);
        assertThat(s.steps().get(1).summary()).contains("the set 'affected' is empty");
    }

    @Test
    void aGateWhoseStepWouldChangeNothingIsPassedWithANoteAndTheNextGateStillWaits() throws Exception {
        Run run = h.start("""
                name: empty-wave
                title: Empty wave
                steps:
                  - id: canary
                    title: Deploy the canary wave
                    action: touch
                    with: { target: nobody }
                    gate: approve
                  - id: rest
                    title: Deploy the rest
                    action: touch
                    with: { target: web-1 }
                    gate: approve
                """, Map.of(), false);
        RunState s = run.advance();
        assertThat(s.status()).as("the empty canary wave asked nothing; the real wave waits").isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(s.current().orElseThrow().stepId()).isEqualTo("rest");
        assertThat(s.steps().get(0).status()).isEqualTo(Status.SUCCEEDED);
        assertThat(h.previews).singleElement().satisfies(p -> assertThat(p.summary()).isEqualTo("will touch web-1"));
        assertThat(h.events(run.id(), EventKinds.RUNBOOK_NOTE)).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("Deploy the canary wave: no approval asked — touch no host — nothing will change"));
        assertThat(world.calls).containsExactly("touch nobody");
        assertThat(run.approve().status()).isEqualTo(RunState.Status.SUCCEEDED);
    }

    private static final String FLAKY = """
            name: flaky
            title: Flaky
            steps:
              - id: order
                title: Order
                action: flaky
              - id: swap
                title: Swap
                action: touch
                with: { target: web-1 }
            """;

    @Test
    void retryRunsAFailedStepAgainAndTheRunContinues() throws Exception {
        world.failuresLeft.set(1);
        Run run = h.start(FLAKY, Map.of(), false);
        RunState failed = run.advance();
        assertThat(failed.status()).isEqualTo(RunState.Status.FAILED);
        assertThat(failed.steps().get(0).reason()).isEqualTo("retry in a minute");
        assertThat(world.calls).containsExactly("flaky");
        assertThat(run.retry().status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(world.calls).containsExactly("flaky", "flaky", "touch web-1");
    }

    @Test
    void skipRequiresAReasonAndRecordsIt() throws Exception {
        world.failuresLeft.set(5);
        Run run = h.start(FLAKY, Map.of(), false);
        run.advance();
        assertThatThrownBy(() -> run.skip(" ")).isInstanceOf(RunbookException.class).hasMessageContaining("needs a reason");
        RunState s = run.skip("CA status page says validation is degraded; renewed by hand");
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(s.steps().get(0).status()).isEqualTo(Status.SKIPPED);
        assertThat(h.steps(run.id()).stream().filter(e -> e.outcome().equals("skipped")).findFirst().orElseThrow().details())
                .contains("CA status page says validation is degraded; renewed by hand");
    }

    @Test
    void abortReturnsWhatTheRunDeployedAndRecordsTheEnd() throws Exception {
        world.failuresLeft.set(5);
        Run run = h.start("""
                name: partial
                title: Partial
                steps:
                  - id: canary
                    title: Canary
                    action: touch
                    with: { target: web-1 }
                  - id: order
                    title: Order
                    action: flaky
                """, Map.of(), false);
        run.advance();
        var deployed = run.abort();
        assertThat(deployed).singleElement().satisfies(d -> assertThat(d).containsEntry("step", "canary").containsEntry("deployed", "web-1"));
        assertThat(run.state().status()).isEqualTo(RunState.Status.ABORTED);
        assertThat(h.events(run.id(), EventKinds.RUNBOOK_FINISHED)).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("aborted"));
        assertThat(h.engine.unfinishedRuns()).doesNotContain(run.id());
    }

    @Test
    void stopClosesAFailedRunSoItIsNoLongerOfferedForResume() throws Exception {
        world.failuresLeft.set(5);
        Run run = h.start(FLAKY, Map.of(), false);
        run.advance();
        assertThat(h.engine.unfinishedRuns()).containsExactly(run.id());
        assertThat(run.stop().status()).isEqualTo(RunState.Status.STOPPED);
        assertThat(h.engine.unfinishedRuns()).isEmpty();
    }

    private static final String TWO_SWAPS = """
            name: two
            title: Two
            steps:
              - id: first
                title: First
                action: touch
                with: { target: web-1 }
              - id: second
                title: Second
                action: touch
                with: { target: web-2 }
            """;

    @Test
    void resumeAfterACrashNeverRepeatsACompletedStep() throws Exception {
        world.crashBefore = "web-2";
        Run run = h.start(TWO_SWAPS, Map.of(), false);
        assertThatThrownBy(run::advance).isInstanceOf(World.SimulatedCrash.class);
        assertThat(world.calls).containsExactly("touch web-1", "touch web-2");
        h.restart();
        world.calls.clear();
        assertThat(h.engine.unfinishedRuns()).containsExactly(run.id());
        Run resumed = h.engine.resume(run.id(), h.listener());
        assertThat(resumed.advance().status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(world.rechecks).isEqualTo(1);
        assertThat(world.calls).containsExactly("touch web-2");
    }

    @Test
    void resumeRechecksAnInterruptedStepAndDoesNotRunItAgainWhenItHadFinished() throws Exception {
        world.crashNextTouch = true;
        Run run = h.start(GATED.replace("gate: approve", "gate: auto"), Map.of(), false);
        assertThatThrownBy(run::advance).isInstanceOf(World.SimulatedCrash.class);
        h.restart();
        world.calls.clear();
        Run resumed = h.engine.resume(run.id(), h.listener());
        assertThat(resumed.state().steps().get(0).status()).isEqualTo(Status.RUNNING);
        RunState s = resumed.advance();
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(world.rechecks).isEqualTo(1);
        assertThat(world.calls).isEmpty();
        assertThat(s.steps().get(0).summary()).isEqualTo("found web-1 already done");
    }

    @Test
    void resumeOfAnUnknownRunSaysHowToListRuns() {
        assertThatThrownBy(() -> h.engine.resume("20260101-000000-beef", RunListener.NONE))
                .hasMessageContaining("no run '20260101-000000-beef'").hasMessageContaining("certops runbook runs");
    }

    private static final String WITH_PARAMS = """
            name: params
            title: Params
            params:
              - { name: cert, type: certificate, required: true, description: the certificate to renew }
              - { name: wait, type: duration, default: 10m }
            steps:
              - id: swap
                title: Swap
                action: touch
                with: { target: "${param.cert}" }
            """;

    @Test
    void anUnknownParameterIsRejectedWithTheOnesItTakes() {
        assertThatThrownBy(() -> h.start(WITH_PARAMS, Map.of("cert", "api", "colour", "red"), false))
                .isInstanceOf(RunbookException.class).hasMessageContaining("no parameter 'colour'").hasMessageContaining("cert, wait");
    }

    @Test
    void aMissingRequiredParameterSaysWhichAndWhatItIs() {
        assertThatThrownBy(() -> h.start(WITH_PARAMS, Map.of(), false))
                .isInstanceOf(RunbookException.class).hasMessageContaining("--param cert=").hasMessageContaining("the certificate to renew");
    }

    @Test
    void aBadDurationIsRejectedWithTheAllowedForms() {
        assertThatThrownBy(() -> h.start(WITH_PARAMS, Map.of("cert", "api", "wait", "soon"), false))
                .isInstanceOf(RunbookException.class).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void parametersGetTheirDefaultsAndReachTheActions() throws Exception {
        Run run = h.start(WITH_PARAMS, Map.of("cert", "api"), false);
        assertThat(run.state().params()).containsEntry("wait", "10m");
        run.advance();
        assertThat(world.calls).containsExactly("touch api");
    }

    @Test
    void aMalformedRunbookIsRejectedWithFileLineAndReason() {
        assertThatThrownBy(() -> h.parse("""
                name: broken
                title: Broken
                steps:
                  - id: swap
                    title: Swap
                    action: touch
                    gate: maybe
                """)).hasMessageContaining("test.yaml").hasMessageContaining("7").hasMessageContaining("'maybe' is not a gate");
    }

    @Test
    void anUnknownActionIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> h.parse("""
                name: broken
                title: Broken
                steps:
                  - id: swap
                    title: Swap
                    action: teleport
                """)).hasMessageContaining("unknown action 'teleport'").hasMessageContaining("deploy, flaky, publish, touch")
                .hasMessageContaining("6");
    }

    @Test
    void aLaterForEachStepSeesTheOutputOfItsOwnItemAndItemsAddToASet() throws Exception {
        world.hosts.put("a", World.host("a", false));
        world.hosts.put("b", World.host("b", false));
        Run run = h.start("""
                name: items
                title: Items
                steps:
                  - { id: select, title: Select, action: publish, with: { set: hosts, items: [a, b] } }
                  - { id: per-host, title: Per host, action: publish, with: { set: done, items: "done-${item}" }, forEach: hosts }
                  - { id: use, title: Use, action: touch, with: { target: "${item}:${steps.per-host.set.done}" }, forEach: hosts }
                  - { id: all, title: All, action: touch, with: { target: "${set.done}" } }
                """, Map.of(), false);
        assertThat(run.advance().status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(world.calls).contains("touch a:done-a", "touch b:done-b", "touch done-a,done-b");
    }

    private static final String PATHS = """
            name: paths
            title: Paths
            steps:
              - { id: select, title: Select, action: publish, with: { set: paths, items: [web@ca-1, web@ca-2, web@ca-3] } }
              - id: each
                title: Each path
                forEach: paths
                steps:
                  - { id: issue, title: Issue, action: publish, with: { set: got, items: "${item.ca}-serial" } }
                  - { id: deploy, title: Deploy, action: touch, with: { target: "${item.certificate}:${steps.issue.set.got}" } }
              - { id: after, title: After, action: touch, with: { target: "${set.got}" } }
            """;

    @Test
    void aGroupRunsAllItsStepsForOneItemBeforeTheNextItem() throws Exception {
        Run run = h.start(PATHS, Map.of(), false);
        RunState s = run.advance();
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(s.steps()).extracting(StepState::key).containsExactly("select",
                "issue[web@ca-1]", "deploy[web@ca-1]", "issue[web@ca-2]", "deploy[web@ca-2]", "issue[web@ca-3]", "deploy[web@ca-3]", "after");
        assertThat(world.calls).containsExactly("publish", "publish", "touch web:ca-1-serial", "publish", "touch web:ca-2-serial",
                "publish", "touch web:ca-3-serial", "touch ca-1-serial,ca-2-serial,ca-3-serial");
    }

    @Test
    void aGroupOverAnEmptySetSkipsEachOfItsStepsAndSaysSo() throws Exception {
        Run run = h.start(PATHS.replace("items: [web@ca-1, web@ca-2, web@ca-3]", "items: []").replace("\"${set.got}\"", "none"), Map.of(), false);
        RunState s = run.advance();
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(s.steps()).extracting(StepState::key).containsExactly("select", "issue", "deploy", "after");
        assertThat(s.steps().subList(1, 3)).allSatisfy(st -> {
            assertThat(st.status()).isEqualTo(Status.SKIPPED);
            assertThat(st.summary()).contains("the set 'paths' is empty");
        });
    }

    @Test
    void resumeInsideAGroupContinuesWithTheSameItemAndNeverRepeatsAnEarlierPath() throws Exception {
        world.crashBefore = "web:ca-2-serial";
        Run run = h.start(PATHS, Map.of(), false);
        assertThatThrownBy(run::advance).isInstanceOf(World.SimulatedCrash.class);
        h.restart();
        world.calls.clear();
        Run resumed = h.engine.resume(run.id(), h.listener());
        assertThat(resumed.state().steps()).extracting(StepState::key).containsExactly("select",
                "issue[web@ca-1]", "deploy[web@ca-1]", "issue[web@ca-2]", "deploy[web@ca-2]", "issue[web@ca-3]", "deploy[web@ca-3]", "after");
        assertThat(resumed.advance().status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(world.calls).containsExactly("touch web:ca-2-serial", "publish", "touch web:ca-3-serial", "touch ca-1-serial,ca-2-serial,ca-3-serial");
    }

    @Test
    void itemCaOnAPlainItemFailsTheStepNamingWhatItNeeds() throws Exception {
        Run run = h.start("""
                name: plain
                title: Plain
                steps:
                  - { id: select, title: Select, action: publish, with: { set: certs, items: [web] } }
                  - { id: use, title: Use, action: touch, with: { target: "${item.certificate}/${item.ca}" }, forEach: certs }
                """, Map.of(), false);
        RunState s = run.advance();
        assertThat(s.status()).isEqualTo(RunState.Status.FAILED);
        assertThat(s.steps().get(1).summary()).contains("${item.ca} needs a CA-path item (CERTIFICATE@CA").contains("'web'");
    }

    @Test
    void aGroupWithoutForEachOrWithNestedForEachIsRejectedWhenTheRunbookLoads() {
        assertThatThrownBy(() -> h.parse("""
                name: g
                title: G
                steps:
                  - id: each
                    title: Each
                    steps:
                      - { id: a, title: A, action: touch, with: { target: x } }
                """)).hasMessageContaining("'forEach' is missing").hasMessageContaining("test.yaml:4");
        assertThatThrownBy(() -> h.parse("""
                name: g
                title: G
                steps:
                  - id: each
                    title: Each
                    forEach: paths
                    steps:
                      - { id: a, title: A, action: touch, with: { target: x }, forEach: other }
                """)).hasMessageContaining("repeats with the group's forEach (paths)").hasMessageContaining("test.yaml:8");
        assertThatThrownBy(() -> h.parse("""
                name: g
                title: G
                steps:
                  - { id: a, title: A, action: touch, with: { target: x } }
                  - id: a
                    title: Each
                    forEach: paths
                    steps:
                      - { id: b, title: B, action: touch, with: { target: x } }
                """)).hasMessageContaining("id 'a' is used twice");
    }

    @Test
    void aReferenceToALaterOrUnknownStepIsRejectedWhenTheRunbookLoads() {
        assertThatThrownBy(() -> h.parse("""
                name: refs
                title: Refs
                steps:
                  - { id: first, title: First, action: touch, with: { target: "${steps.second.serial}" } }
                  - { id: second, title: Second, action: touch, with: { target: x } }
                """)).hasMessageContaining("refers to step 'second', which is not an earlier step").hasMessageContaining("test.yaml:4");
    }

    @Test
    void itemOutsideAForEachStepIsRejectedWhenTheRunbookLoads() {
        assertThatThrownBy(() -> h.parse("""
                name: refs
                title: Refs
                steps:
                  - { id: first, title: First, action: touch, with: { target: "${item}" } }
                """)).hasMessageContaining("uses ${item} but the step has no forEach");
    }

    @Test
    void aMistypedReferenceFailsTheStepInsteadOfPassingThroughLiterally() throws Exception {
        RunState s = h.start("""
                name: refs
                title: Refs
                steps:
                  - { id: first, title: First, action: touch, with: { target: "${Param.x}" } }
                """, Map.of(), false).advance();
        assertThat(s.status()).isEqualTo(RunState.Status.FAILED);
        assertThat(s.steps().get(0).summary()).contains("'${Param.x}' is not a reference");
        assertThat(world.calls).isEmpty();
    }
}

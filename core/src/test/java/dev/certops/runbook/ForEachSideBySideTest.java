package dev.certops.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.HistoryEvent;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.report.RunReport;
import dev.certops.report.RunReports;
import dev.certops.runbook.StepState.Status;
import dev.certops.testing.Poll;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The items of a forEach step run side by side, proven without timing: the test action waits at a
 * barrier that opens only when every item is inside it at once (a deadline only turns a hang into a
 * failure). Items also finish in the reverse of their order, so the per-item records and the report must
 * put them back in item order themselves.
 */
class ForEachSideBySideTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final List<String> ITEMS = List.of("a", "b", "c", "bad");

    @TempDir Path dir;
    SqliteHistoryStore history;
    World world;
    Meet meet;
    RunbookEngine engine;
    final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    final List<ActionPreview> previews = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void engineOnARealHistory() throws Exception {
        history = SqliteHistoryStore.open(dir.resolve("history.db"), "tester@lab");
        world = new World();
        meet = new Meet();
        engine = new RunbookEngine(world.registry().register(meet), history, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception { history.close(); }

    private static String runbook(String meetStepExtras) {
        return """
                name: side-by-side
                title: Side by side
                steps:
                  - { id: select, title: Select, action: publish, with: { set: hosts, items: [a, b, c, bad] } }
                  - id: meet
                    title: Meet
                    action: meet
                    with: { target: "${item}" }
                    forEach: hosts
                %s
                  - { id: after, title: After, action: touch, with: { target: "${set.met}" } }
                """.formatted(meetStepExtras);
    }

    private Run start(String yaml) throws Exception {
        RunbookDefinition def = new RunbookLoader(engine.actions().types()).parse(Path.of("test.yaml"), "test.yaml", yaml);
        return engine.start(def, Map.of(), false, new RunListener() {
            @Override public void log(StepState step, String line) { logLines.add(line); }
            @Override public void waitingForApproval(StepState step, ActionPreview preview) { previews.add(preview); }
        });
    }

    @Test
    void everyItemIsInsideAtOnceAndAFailedItemKeepsTheOthersResultsInItemOrder() throws Exception {
        meet.barrier = new CyclicBarrier(ITEMS.size());
        meet.finishInReverse = true;
        meet.refuse = "bad";
        Run run = start(runbook(""));

        RunState s = run.advance();

        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.FAILED);
        assertThat(meet.mostInsideAtOnce.get()).isEqualTo(ITEMS.size());
        assertThat(s.steps()).extracting(StepState::key).containsExactly("select", "meet[a]", "meet[b]", "meet[c]", "meet[bad]", "after");
        for (String item : List.of("a", "b", "c")) {
            StepState done = step(s, "meet[" + item + "]");
            assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(done.outputs()).containsEntry("serial", item + "-serial");
        }
        StepState bad = step(s, "meet[bad]");
        assertThat(bad.status()).isEqualTo(Status.FAILED);
        assertThat(bad.summary()).isEqualTo("the host refused the new certificate");
        assertThat(bad.reason()).isEqualTo("fix the host, then retry the step");
        assertThat(s.current()).contains(bad);
        assertThat(step(s, "after").status()).as("the next step waits for the failed item").isEqualTo(Status.PENDING);
        assertThat(world.calls).doesNotContain("touch a,b,c");

        assertThat(meet.finished).as("the items finished in reverse").containsExactly("bad", "c", "b", "a");
        for (String item : ITEMS) {
            List<String> recorded = history.query(dev.certops.history.EventQuery.all().subject(run.id()).kind("runbook.step")).stream()
                    .filter(e -> e.details().contains("\"key\":\"meet[" + item + "]\"")).map(HistoryEvent::outcome).toList();
            assertThat(recorded).as(item).containsExactly("running", item.equals("bad") ? "failed" : "succeeded");
        }
        RunReport report = RunReports.fromHistory(history, run.id());
        assertThat(report.steps()).filteredOn(x -> x.key().startsWith("meet["))
                .extracting(RunReport.Step::key, RunReport.Step::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("meet[a]", "SUCCEEDED"), org.assertj.core.groups.Tuple.tuple("meet[b]", "SUCCEEDED"),
                        org.assertj.core.groups.Tuple.tuple("meet[c]", "SUCCEEDED"), org.assertj.core.groups.Tuple.tuple("meet[bad]", "FAILED"));
        assertThat(report.steps()).filteredOn(x -> x.key().equals("meet[bad]")).singleElement()
                .satisfies(x -> assertThat(x.reason()).isEqualTo("fix the host, then retry the step"));
        assertThat(logLines).as("each line names its item").hasSize(ITEMS.size())
                .allSatisfy(l -> assertThat(ITEMS.stream().anyMatch(i -> l.equals(i + ": inside with the others"))).as(l).isTrue());
    }

    @Test
    void retryRunsOnlyTheFailedItemAndTheSetTheItemsBuiltIsInItemOrder() throws Exception {
        meet.refuse = "bad";
        meet.finishInReverse = true;
        Run run = start(runbook(""));
        assertThat(run.advance().status()).isEqualTo(RunState.Status.FAILED);
        meet.refuse = "";
        meet.finishInReverse = false;
        meet.finished.clear();

        RunState s = run.retry();

        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(meet.finished).containsExactly("bad");
        assertThat(world.calls).as("the set the items published, in item order").contains("touch a,b,c,bad");
    }

    @Test
    void theGateShowsOnePreviewOfEveryItemAndOneApprovalRunsThemAllSideBySide() throws Exception {
        meet.barrier = new CyclicBarrier(ITEMS.size());
        Run run = start(runbook("    gate: approve"));

        RunState waiting = run.advance();

        assertThat(waiting.status()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(waiting.steps()).filteredOn(x -> x.stepId().equals("meet")).extracting(StepState::status).containsOnly(Status.WAITING_APPROVAL);
        assertThat(meet.finished).isEmpty();
        ActionPreview p = previews.get(previews.size() - 1);
        assertThat(p.summary()).isEqualTo("Meet: 4 items, 4 at a time — a, b, c, bad");
        assertThat(p.details()).containsExactly("a — will meet a", "  at the barrier", "b — will meet b", "  at the barrier",
                "c — will meet c", "  at the barrier", "bad — will meet bad", "  at the barrier");
        assertThat(p.changesTheWorld()).isTrue();
        assertThat(run.preview()).contains(p);

        RunState s = run.approveBatch();

        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(meet.mostInsideAtOnce.get()).isEqualTo(ITEMS.size());
    }

    @Test
    void approveAtAForEachGateStillApprovesOneItemAtATime() throws Exception {
        Run run = start(runbook("    gate: approve"));
        run.advance();

        RunState s = run.approve();

        assertThat(s.status()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(meet.finished).containsExactly("a");
        assertThat(s.current().orElseThrow().key()).isEqualTo("meet[b]");
    }

    @Test
    void concurrencyOneRunsTheItemsOneAfterAnotherInItemOrder() throws Exception {
        Run run = start(runbook("    concurrency: 1"));

        RunState s = run.advance();

        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(meet.mostInsideAtOnce.get()).isEqualTo(1);
        assertThat(meet.finished).containsExactly("a", "b", "c", "bad");
    }

    @Test
    void aConcurrencyOnAStepWithoutForEachIsRejectedWhenTheRunbookLoads() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RunbookLoader(engine.actions().types()).parse(Path.of("t.yaml"), "t.yaml", """
                        name: x
                        title: X
                        steps:
                          - { id: one, title: One, action: touch, with: { target: a }, concurrency: 4 }
                        """)).hasMessageContaining("concurrency: says how many items of a forEach step run at once")
                .hasMessageContaining("t.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(runbook("    concurrency: 0")))
                .hasMessageContaining("'0' is not a concurrency").hasMessageContaining("1 to 64");
    }

    @Test
    void interruptingTheDriverStopsTheRunningItemsRecordsThemAndStartsNothingAfter() throws Exception {
        meet.holdUntilInterrupted = true;
        Run run = start(runbook(""));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread driver = new Thread(() -> {
            try {
                run.advance();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "test-driver");
        driver.start();
        Poll.until(DEADLINE, () -> meet.inside.get() == ITEMS.size(), "every item inside");

        driver.interrupt();
        driver.join(DEADLINE.toMillis());

        assertThat(driver.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(RunbookException.class).hasMessageContaining("interrupted while 'Meet' ran")
                .hasMessageContaining("resume run " + run.id());
        RunState s = run.state();
        assertThat(s.steps()).filteredOn(x -> x.stepId().equals("meet")).allSatisfy(x -> {
            assertThat(x.status()).isEqualTo(Status.FAILED);
            assertThat(x.summary()).isEqualTo("stopped: the run was interrupted");
        });
        assertThat(step(s, "after").status()).isEqualTo(Status.PENDING);
        assertThat(world.calls).doesNotContain("touch a,b,c,bad");
    }

    private static StepState step(RunState s, String key) {
        return s.steps().stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
    }

    /**
     * meet: { target: ITEM } — the injected fault action: waits at {@link #barrier} (when set) for every item,
     * finishes after the next item when asked, refuses {@link #refuse}, or holds until interrupted.
     */
    static final class Meet implements RunbookAction {
        volatile CyclicBarrier barrier;
        volatile boolean finishInReverse;
        volatile boolean holdUntilInterrupted;
        volatile String refuse = "";
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInsideAtOnce = new AtomicInteger();
        final List<String> finished = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, CountDownLatch> done = new ConcurrentHashMap<>();

        @Override public String type() { return "meet"; }

        @Override
        public ActionPreview preview(StepContext ctx) throws RunbookException {
            return new ActionPreview("will meet " + ctx.requireArg("target"), List.of("at the barrier"), true);
        }

        @Override
        public StepOutcome execute(StepContext ctx) throws RunbookException {
            String item = ctx.requireArg("target");
            int now = inside.incrementAndGet();
            mostInsideAtOnce.accumulateAndGet(now, Math::max);
            try {
                ctx.log("inside with the others");
                if (barrier != null) barrier.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                if (holdUntilInterrupted) new CountDownLatch(1).await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                int next = ITEMS.indexOf(item) + 1;
                if (finishInReverse && next < ITEMS.size() && !done(ITEMS.get(next)).await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    return StepOutcome.Failed.of(ITEMS.get(next) + " never finished", "look at the test");
                }
                if (item.equals(refuse)) return StepOutcome.Failed.of("the host refused the new certificate", "fix the host, then retry the step");
                return new StepOutcome.Succeeded("met " + item, Map.of("serial", item + "-serial", "set.met", List.of(item)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StepOutcome.Failed.of("stopped: the run was interrupted", "resume the run");
            } catch (BrokenBarrierException | TimeoutException e) {
                return StepOutcome.Failed.of("only " + inside.get() + " items were inside at once", "the items did not run side by side");
            } finally {
                inside.decrementAndGet();
                finished.add(item);
                done(item).countDown();
            }
        }

        private CountDownLatch done(String item) { return done.computeIfAbsent(item, k -> new CountDownLatch(1)); }
    }
}

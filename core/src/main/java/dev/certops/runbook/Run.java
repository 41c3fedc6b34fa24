package dev.certops.runbook;

import dev.certops.parallel.BoundedParallel;
import dev.certops.runbook.StepState.Status;
import dev.certops.words.Words;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One run of a runbook, driven by the operator (CLI or console): {@link #advance()} runs steps
 * until a gate, a failure or the end; {@link #approve()}, {@link #retry()}, {@link #skip(String)}
 * and {@link #abort()} are the operator's controls. Every transition is recorded before the next
 * thing happens, so a killed console resumes exactly here.
 *
 * <p>The items of a plain {@code forEach} step run side by side, {@code concurrency} at once (the step's,
 * else the engine's): they start in item order, each is recorded and reported on its own, a failed item
 * does not stop the others, and the next step starts only when every item has succeeded or been skipped
 * (a failed item stops the run there, as a failed step does). At an approve gate the whole batch waits
 * with one preview listing every item; {@link #approveBatch()} approves them all, {@link #approve()} the
 * first one only. The operator's controls hold this object's monitor; the run's memory (steps, outputs)
 * has its own lock, taken by the items' threads to record their transitions, so {@link #state()} answers
 * while items run. Listener calls never overlap.
 */
public final class Run {
    private final RunbookDefinition def;
    private final String runId;
    private final boolean drill;
    private final Map<String, String> params;
    private final ActionRegistry actions;
    private final RunJournal journal;
    private final Clock clock;
    private final RunListener listener;
    private final List<Consumer<RunState>> whenFinished;
    private final DrillPolicy drillPolicy;
    private final Instant startedAt;
    private final List<StepState> steps = new ArrayList<>();
    private final RunOutputs outputs = new RunOutputs();
    private final Set<String> approved = ConcurrentHashMap.newKeySet();
    private final Set<String> expanded = ConcurrentHashMap.newKeySet();
    /** Guards {@link #steps} and {@link #outputs}: the items' threads record through it. */
    private final Object memory = new Object();
    private final int itemsAtOnce;
    private volatile RunState.Status status = RunState.Status.RUNNING;
    private volatile Instant finishedAt;
    private GateGuard gateGuard = GateGuard.NONE;

    Run(RunbookDefinition def, String runId, boolean drill, Map<String, String> params, ActionRegistry actions,
        RunJournal journal, Clock clock, RunListener listener, List<Consumer<RunState>> whenFinished, Instant startedAt,
        int itemsAtOnce) {
        this.itemsAtOnce = itemsAtOnce;
        this.whenFinished = whenFinished;
        this.def = def;
        this.runId = runId;
        this.drill = drill;
        this.params = Map.copyOf(params);
        this.actions = actions;
        this.journal = journal;
        this.clock = clock;
        this.listener = new SerialListener(listener);
        this.drillPolicy = new DrillPolicy(drill);
        this.startedAt = startedAt;
        for (StepSpec s : def.steps()) steps.add(StepState.pending(s.id(), Optional.empty(), s.title()));
    }

    public String id() { return runId; }
    public RunbookDefinition definition() { return def; }

    /** A snapshot; answers while the items of a step run. */
    public RunState state() {
        synchronized (memory) {
            return new RunState(runId, def.name(), def.title(), drill, params, steps, status, startedAt, Optional.ofNullable(finishedAt));
        }
    }

    /**
     * What the current step will do, without doing it. At a gate of a forEach step where several items
     * wait, one preview lists every waiting item (what {@link #approveBatch()} approves).
     */
    public synchronized Optional<ActionPreview> preview() throws RunbookException {
        Optional<StepState> cur = current();
        if (cur.isEmpty()) return Optional.empty();
        StepSpec spec = def.step(cur.get().stepId()).orElseThrow();
        if (spec.manual()) return Optional.of(ActionPreview.readOnly("Manual step: do it yourself, then approve to mark it done.", spec.guide()));
        if (batched(spec, cur.get())) {
            List<StepState> waiting = unapproved(spec);
            if (waiting.size() > 1) return Optional.of(batchPreview(spec, waiting));
        }
        return Optional.of(itemPreview(spec, cur.get()));
    }

    private ActionPreview itemPreview(StepSpec spec, StepState s) throws RunbookException {
        return actions.get(spec.action().get()).preview(context(spec, s));
    }

    /** One preview for the items of a forEach step waiting at its gate: each item's own preview, in item order. */
    private ActionPreview batchPreview(StepSpec spec, List<StepState> waiting) {
        List<String> lines = new ArrayList<>();
        boolean changes = false;
        boolean nothing = true;
        for (StepState w : waiting) {
            String item = w.item().orElse(w.key());
            try {
                ActionPreview p = itemPreview(spec, w);
                changes |= p.changesTheWorld();
                nothing &= p.changesNothing();
                lines.add(item + " — " + p.summary());
                p.details().forEach(d -> lines.add("  " + d));
            } catch (RunbookException e) {
                changes = true;
                nothing = false;
                lines.add(item + " — preview unavailable: " + e.getMessage());
            }
        }
        int atOnce = Math.min(waiting.size(), atOnce(spec));
        return new ActionPreview(spec.title() + ": " + Words.count(waiting.size(), "item") + ", " + atOnce + " at a time — "
                + String.join(", ", waiting.stream().map(w -> w.item().orElse(w.key())).toList()), lines, changes, nothing && !changes);
    }

    /** One item's own preview (what a two-person request shows), or why it cannot be built yet. */
    private ActionPreview safeItemPreview(StepSpec spec, StepState s) {
        try {
            return itemPreview(spec, s);
        } catch (RunbookException e) {
            return ActionPreview.readOnly("preview unavailable: " + e.getMessage(), "approving runs the step anyway; skip it with a reason if unsure");
        }
    }

    /** The preview, or a line saying why it cannot be built yet (the operator still decides). */
    private ActionPreview safePreview() {
        try {
            return preview().orElseThrow();
        } catch (RunbookException e) {
            return ActionPreview.readOnly("preview unavailable: " + e.getMessage(), "approving runs the step anyway; skip it with a reason if unsure");
        }
    }

    /** Runs steps until one needs the operator (gate or failure) or the run ends. */
    public synchronized RunState advance() throws RunbookException {
        while (!status.finished()) {
            Optional<StepState> next = current();
            if (next.isEmpty()) {
                finish(RunState.Status.SUCCEEDED);
                break;
            }
            StepState s = next.get();
            StepSpec spec = def.step(s.stepId()).orElseThrow();
            if (spec.forEach().isPresent() && s.item().isEmpty() && !expanded.contains(spec.id())) {
                expand(spec, indexOf(s.key()));
                continue;
            }
            if (s.status() == Status.FAILED) {
                status = RunState.Status.FAILED;
                break;
            }
            if (batched(spec, s)) {
                List<StepState> open = instances(spec).stream().filter(x -> x.status() != Status.FAILED).toList();
                List<StepState> runnable = spec.gate() == Gate.APPROVE ? open.stream().filter(x -> approved.contains(x.key())).toList() : open;
                if (runnable.isEmpty() && !open.isEmpty() && !spec.manual()) {
                    ActionPreview preview = safePreview();
                    if (preview.changesNothing()) {
                        for (StepState w : open) passEmptyGate(w, preview);
                        continue;
                    }
                }
                if (runnable.isEmpty()) {
                    // the whole batch waits at the gate, each item recorded as waiting, with one preview of them all
                    for (StepState w : open) {
                        if (w.status() != Status.WAITING_APPROVAL) record(w.with(Status.WAITING_APPROVAL, "waiting for approval", Map.of(), w.startedAt(), Optional.empty(), ""));
                    }
                    status = RunState.Status.WAITING_APPROVAL;
                    listener.waitingForApproval(current().orElseThrow(), safePreview());
                    break;
                }
                status = RunState.Status.RUNNING;
                stopIfInterrupted();
                executeItems(spec, runnable);
                continue;
            }
            if (spec.gate() == Gate.APPROVE && !approved.contains(s.key())) {
                ActionPreview preview = safePreview();
                if (!spec.manual() && preview.changesNothing()) {
                    passEmptyGate(s, preview);
                } else {
                    if (s.status() != Status.WAITING_APPROVAL) record(s.with(Status.WAITING_APPROVAL, "waiting for approval", Map.of(), s.startedAt(), Optional.empty(), ""));
                    status = RunState.Status.WAITING_APPROVAL;
                    listener.waitingForApproval(current().orElseThrow(), preview);
                    break;
                }
            }
            status = RunState.Status.RUNNING;
            stopIfInterrupted();
            execute(spec, s);
        }
        return state();
    }

    /** An interrupted driver (console closing, CLI stopped) starts nothing new; the run resumes from history. */
    private void stopIfInterrupted() throws RunbookException {
        if (Thread.currentThread().isInterrupted()) {
            throw new RunbookException("the run was interrupted before its next step; nothing more was started — resume run " + runId + " to go on");
        }
    }

    /** A plain forEach step's item: its items run side by side and wait at its gate together. */
    private static boolean batched(StepSpec spec, StepState s) {
        return spec.forEach().isPresent() && spec.group().isEmpty() && s.item().isPresent();
    }

    /** The step's instances not done yet, in item order. */
    private List<StepState> instances(StepSpec spec) {
        synchronized (memory) {
            return steps.stream().filter(x -> x.stepId().equals(spec.id()) && x.item().isPresent() && !x.status().done()).toList();
        }
    }

    /** The step's instances waiting for (or yet to reach) its gate, not approved yet. */
    private List<StepState> unapproved(StepSpec spec) {
        return instances(spec).stream().filter(x -> x.status() != Status.FAILED && !approved.contains(x.key())).toList();
    }

    private int atOnce(StepSpec spec) { return spec.concurrency().orElse(itemsAtOnce); }

    /**
     * Approves every item of the forEach step waiting at its gate (what the one preview listed), then runs
     * them side by side and continues; for any other step the same as {@link #approve()}. Each item passes the
     * gate guard on its own (a team's two-person rule asks per item): the items it lets through run, and when
     * it holds some back, its message for the first of those is thrown after they ran (the run waits there).
     */
    public synchronized RunState approveBatch() throws RunbookException {
        StepState s = current().filter(x -> x.status() == Status.WAITING_APPROVAL)
                .orElseThrow(() -> new RunbookException("no step is waiting for approval"));
        StepSpec spec = def.step(s.stepId()).orElseThrow();
        if (!batched(spec, s)) return approve();
        RunbookException held = null;
        int passed = 0;
        for (StepState w : unapproved(spec)) {
            try {
                gateGuard.beforeApproval(state(), w, spec, context(spec, w), safeItemPreview(spec, w));
                approved.add(w.key());
                passed++;
            } catch (RunbookException e) {
                if (held == null) held = e;
            }
        }
        if (passed == 0 && held != null) throw held;
        RunState after = advance();
        if (held != null) throw new RunbookException(held.getMessage() + " (the other approved items of this step ran)", held);
        return after;
    }


    /**
     * A gate whose preview changes nothing (deploy to no host, nothing to revoke) is not shown: the step runs
     * without asking, and the run's log and history say why no approval was asked.
     */
    private void passEmptyGate(StepState s, ActionPreview p) throws RunbookException {
        String note = s.title() + ": no approval asked — " + p.summary();
        journal.note(runId, note);
        listener.log(s, note);
        approved.add(s.key());
    }

    /** Approves the step waiting at an approve gate (of a forEach step: its first waiting item only), then continues. */
    public synchronized RunState approve() throws RunbookException {
        StepState s = current().filter(x -> x.status() == Status.WAITING_APPROVAL)
                .orElseThrow(() -> new RunbookException("no step is waiting for approval"));
        StepSpec spec = def.step(s.stepId()).orElseThrow();
        gateGuard.beforeApproval(state(), s, spec, context(spec, s), spec.manual() ? safePreview() : safeItemPreview(spec, s));
        approved.add(s.key());
        if (spec.manual()) {
            Instant now = clock.instant();
            record(s.with(Status.SUCCEEDED, "done by the operator", Map.of(), Optional.of(now), Optional.of(now), ""));
        }
        return advance();
    }

    /** Runs a failed step again (of a forEach step: every failed item, side by side). */
    public synchronized RunState retry() throws RunbookException {
        StepState s = current().filter(x -> x.status() == Status.FAILED)
                .orElseThrow(() -> new RunbookException("no step has failed: nothing to retry"));
        StepSpec spec = def.step(s.stepId()).orElseThrow();
        List<StepState> failed = batched(spec, s) ? instances(spec).stream().filter(x -> x.status() == Status.FAILED).toList() : List.of(s);
        for (StepState f : failed) {
            record(f.with(Status.PENDING, "retry requested", Map.of(), Optional.empty(), Optional.empty(), ""));
            approved.add(f.key());
        }
        return advance();
    }

    /** Skips the current step; the reason is mandatory and recorded. */
    public synchronized RunState skip(String reason) throws RunbookException {
        if (reason == null || reason.isBlank()) throw new RunbookException("a skip needs a reason: it goes into the history and the report");
        StepState s = current().orElseThrow(() -> new RunbookException("no step left to skip"));
        Instant now = clock.instant();
        record(s.with(Status.SKIPPED, "skipped: " + reason.strip(), Map.of(), s.startedAt().or(() -> Optional.of(now)), Optional.of(now), reason.strip()));
        return advance();
    }

    /** Stops the run. Returns what this run deployed, so the caller can offer a rollback. */
    public synchronized List<Map<String, Object>> abort() throws RunbookException {
        if (status.finished()) throw new RunbookException("run " + runId + " has already finished (" + status + "); nothing to abort");
        List<Map<String, Object>> deployed = new ArrayList<>();
        for (StepState s : state().steps()) {
            Object d = s.outputs().get("deployed");
            if (s.status() == Status.SUCCEEDED && d != null) deployed.add(Map.of("step", s.key(), "deployed", d));
        }
        finish(RunState.Status.ABORTED);
        return deployed;
    }

    /**
     * Closes a failed run without retrying (headless runs, CI): recorded as finished with status
     * {@link RunState.Status#STOPPED}, so it is no longer offered for resume.
     */
    public synchronized RunState stop() throws RunbookException {
        if (status.finished()) throw new RunbookException("run " + runId + " has already finished (" + status + ")");
        finish(RunState.Status.STOPPED);
        return state();
    }

    public synchronized void note(String text) throws RunbookException { journal.note(runId, text); }

    private void execute(StepSpec spec, StepState s) throws RunbookException {
        StepContext ctx = context(spec, s);
        if (s.status() == Status.RUNNING && rechecked(spec, s, ctx)) return;
        perform(spec, started(s), ctx);
    }

    /**
     * Runs the items of a forEach step, {@link #atOnce} at a time: each starts (recorded, announced) in item
     * order on this thread and runs on its own; every one ends recorded, failed or not. Their contexts are taken
     * before any starts, so no item sees another item's outputs of this step.
     */
    private void executeItems(StepSpec spec, List<StepState> items) throws RunbookException {
        List<Item> batch = new ArrayList<>();
        for (StepState x : items) batch.add(new Item(x, context(spec, x)));
        List<Throwable> ended;
        try {
            ended = BoundedParallel.runAll(batch, atOnce(spec), "runbook-" + spec.id(), it -> {
                if (it.state.status() != Status.RUNNING) it.running = started(it.state);
            }, it -> {
                if (it.running == null) {
                    if (rechecked(spec, it.state, it.context)) return;
                    it.running = started(it.state);
                }
                perform(spec, it.running, it.context);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunbookException("the run was interrupted while '" + spec.title() + "' ran: the items that ended are recorded, "
                    + "the others were not started or stopped — resume run " + runId + " to go on");
        }
        for (Throwable t : ended) if (t instanceof Error err) throw err; // a dying JVM, as the single step would
        for (Throwable t : ended) {
            Throwable cause = t instanceof BoundedParallel.NotStarted ns ? ns.getCause() : t;
            if (cause instanceof RunbookException re) throw re;
            if (cause instanceof RuntimeException re) throw re;
            if (cause != null) throw new RunbookException(cause.getMessage(), cause);
        }
    }

    /** One item of a batch: its state when the batch began, its context, and its RUNNING state once started. */
    private static final class Item {
        final StepState state;
        final StepContext context;
        volatile StepState running;

        Item(StepState state, StepContext context) {
            this.state = state;
            this.context = context;
        }
    }

    /** A step that was running when the engine died: finished here when its action can tell it had ended. */
    private boolean rechecked(StepSpec spec, StepState s, StepContext ctx) throws RunbookException {
        RunbookAction action = actions.get(spec.action().orElseThrow());
        Instant start = clock.instant();
        Optional<StepOutcome> done;
        try {
            done = action.recheck(ctx);
        } catch (RunbookException | RuntimeException e) {
            done = Optional.of(StepOutcome.Failed.of("could not tell whether the interrupted step finished: " + e.getMessage(),
                    "check by hand, then retry the step or skip it with a reason"));
        }
        if (done.isEmpty()) return false;
        finishStep(s, done.get(), s.startedAt().orElse(start));
        return true;
    }

    /** Records and announces the step as running. */
    private StepState started(StepState s) throws RunbookException {
        StepState running = s.with(Status.RUNNING, "running", Map.of(), Optional.of(clock.instant()), Optional.empty(), "");
        record(running);
        listener.stepStarted(running);
        return running;
    }

    private void perform(StepSpec spec, StepState running, StepContext ctx) throws RunbookException {
        RunbookAction action = actions.get(spec.action().orElseThrow());
        Instant start = running.startedAt().orElseGet(clock::instant);
        StepOutcome outcome;
        try {
            outcome = action.execute(ctx);
        } catch (RunbookException e) {
            outcome = StepOutcome.Failed.of(e.getMessage(), "fix the cause, then retry the step, skip it with a reason, or abort");
        } catch (RuntimeException e) {
            outcome = StepOutcome.Failed.of("unexpected error: " + e, "retry the step; if it fails again, skip it with a reason or abort");
        }
        finishStep(running, outcome, start);
    }

    private void finishStep(StepState s, StepOutcome outcome, Instant start) throws RunbookException {
        Instant end = clock.instant();
        StepState done;
        if (outcome instanceof StepOutcome.Failed f) {
            done = s.with(Status.FAILED, f.summary(), f.outputs(), Optional.of(start), Optional.of(end), f.nextStep());
        } else if (outcome instanceof StepOutcome.Skipped sk) {
            done = s.with(Status.SKIPPED, sk.summary(), sk.outputs(), Optional.of(start), Optional.of(end), sk.summary());
        } else {
            done = s.with(Status.SUCCEEDED, outcome.summary(), outcome.outputs(), Optional.of(start), Optional.of(end), "");
        }
        record(done);
        listener.stepFinished(done); // the run stops at a failed step when advance() reaches it
    }

    /**
     * Replaces the placeholder(s) of a forEach step, or of every step of its group, with one instance
     * per item: step by step for a plain forEach, item by item for a group. An empty set records each
     * placeholder as skipped.
     */
    private void expand(StepSpec spec, int index) throws RunbookException {
        List<StepSpec> specs;
        synchronized (memory) {
            specs = expandInMemory(spec, index);
        }
        if (specs.isEmpty()) return;
        Instant now = clock.instant();
        for (StepSpec sp : specs) {
            int i = indexOf(sp.id());
            StepState none;
            synchronized (memory) {
                none = steps.get(i).with(Status.SKIPPED, "nothing to do: the set '" + spec.forEach().get() + "' is empty",
                    Map.of(), Optional.of(now), Optional.of(now), "empty set");
                steps.set(i, none);
            }
            journal.step(runId, none, drill, sp.action().orElse("manual"));
        }
    }

    /** The expansion itself (also used when replaying history); returns the specs left as placeholders because the set is empty. */
    private List<StepSpec> expandInMemory(StepSpec spec, int index) {
        List<StepSpec> specs = spec.group().map(def::group).orElse(List.of(spec));
        List<String> items = outputs.set(spec.forEach().get());
        specs.forEach(sp -> expanded.add(sp.id()));
        if (items.isEmpty()) return specs;
        int at = index;
        for (StepSpec sp : specs) {
            int i = indexOf(sp.id());
            if (i >= 0) {
                at = Math.min(at, i);
                steps.remove(i);
            }
        }
        List<StepState> instances = new ArrayList<>();
        if (spec.group().isPresent()) {
            for (String item : items) for (StepSpec sp : specs) instances.add(StepState.pending(sp.id(), Optional.of(item), sp.title()));
        } else {
            for (String item : items) instances.add(StepState.pending(spec.id(), Optional.of(item), spec.title()));
        }
        steps.addAll(at, instances);
        return List.of();
    }

    private StepContext context(StepSpec spec, StepState s) {
        Map<String, Map<String, Object>> visible;
        Map<String, List<String>> sets;
        synchronized (memory) {
            visible = outputs.visibleTo(s.item());
            sets = outputs.sets();
        }
        return new StepContext(runId, def.name(), drill, drillPolicy, params, s.item(), spec.with(), visible, sets, new StepContext.Progress() {
            @Override public void report(double fraction, String message) { listener.progress(s, fraction, named(s, message)); }
            @Override public void log(String line) { listener.log(s, named(s, line)); }
        }, s.status() == Status.RUNNING ? s.startedAt() : Optional.empty());
    }

    /** A line of an item's step names its item ("c3: order placed"), so the lines of items running side by side read apart. */
    private static String named(StepState s, String line) {
        return s.item().filter(i -> !line.startsWith(i + ":")).map(i -> i + ": " + line).orElse(line);
    }

    private Optional<StepState> current() {
        synchronized (memory) {
            return steps.stream().filter(x -> !x.status().done()).findFirst();
        }
    }

    /** Records a transition (history first, then memory); items running side by side record one at a time. */
    void record(StepState s) throws RunbookException {
        synchronized (memory) {
            journal.step(runId, s, drill, def.step(s.stepId()).flatMap(StepSpec::action).orElse("manual"));
            apply(s);
        }
    }

    /** Applies a transition to memory only (used when replaying history). */
    void apply(StepState s) {
        synchronized (memory) {
            applyLocked(s);
        }
    }

    private void applyLocked(StepState s) {
        int i = indexOf(s.key());
        if (i < 0 && s.item().isPresent()) {
            StepSpec spec = def.step(s.stepId()).orElseThrow();
            int placeholder = indexOf(spec.id());
            if (placeholder >= 0 && !expanded.contains(spec.id())) {
                expandInMemory(spec, placeholder);
                i = indexOf(s.key());
            }
        }
        if (i < 0) {
            // an instance the expansion did not produce (the set changed after it was recorded): keep it after its step's others
            int first = indexOfStep(s.stepId());
            if (first >= 0 && steps.get(first).item().isEmpty() && s.item().isPresent()) steps.remove(first);
            expanded.add(s.stepId());
            int insertAt = first >= 0 ? first : steps.size();
            while (insertAt < steps.size() && steps.get(insertAt).stepId().equals(s.stepId())) insertAt++;
            steps.add(insertAt, s);
        } else {
            steps.set(i, s);
        }
        if (s.status() == Status.SUCCEEDED) {
            outputs.record(s, indexOf(s.key()));
        }
    }

    void markApproved(String key) { approved.add(key); }

    Run guardedBy(GateGuard guard) {
        this.gateGuard = guard;
        return this;
    }

    void restoreStatus(RunState.Status s, Instant finished) {
        status = s;
        finishedAt = finished;
    }

    private int indexOf(String key) {
        synchronized (memory) {
            for (int i = 0; i < steps.size(); i++) if (steps.get(i).key().equals(key)) return i;
            return -1;
        }
    }

    private int indexOfStep(String stepId) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).stepId().equals(stepId)) return i;
        return -1;
    }

    private void finish(RunState.Status s) throws RunbookException {
        status = s;
        finishedAt = clock.instant();
        journal.finished(runId, s, drill);
        RunState done = state();
        listener.runFinished(done);
        whenFinished.forEach(h -> h.accept(done)); // the engine's own hooks, after the driver's listener
    }
}

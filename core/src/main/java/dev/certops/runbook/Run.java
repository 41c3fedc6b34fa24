package dev.certops.runbook;

import dev.certops.runbook.StepState.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of a runbook, driven by the operator (CLI or console): {@link #advance()} runs steps
 * until a gate, a failure or the end; {@link #approve()}, {@link #retry()}, {@link #skip(String)}
 * and {@link #abort()} are the operator's controls. Every transition is recorded before the next
 * thing happens, so a killed console resumes exactly here.
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
    private final List<java.util.function.Consumer<RunState>> whenFinished;
    private final DrillPolicy drillPolicy;
    private final Instant startedAt;
    private final List<StepState> steps = new ArrayList<>();
    private final RunOutputs outputs = new RunOutputs();
    private final Set<String> approved = new HashSet<>();
    private final Set<String> expanded = new HashSet<>();
    private RunState.Status status = RunState.Status.RUNNING;
    private Instant finishedAt;
    private GateGuard gateGuard = GateGuard.NONE;

    Run(RunbookDefinition def, String runId, boolean drill, Map<String, String> params, ActionRegistry actions,
        RunJournal journal, Clock clock, RunListener listener, List<java.util.function.Consumer<RunState>> whenFinished, Instant startedAt) {
        this.whenFinished = whenFinished;
        this.def = def;
        this.runId = runId;
        this.drill = drill;
        this.params = Map.copyOf(params);
        this.actions = actions;
        this.journal = journal;
        this.clock = clock;
        this.listener = listener;
        this.drillPolicy = new DrillPolicy(drill);
        this.startedAt = startedAt;
        for (StepSpec s : def.steps()) steps.add(StepState.pending(s.id(), Optional.empty(), s.title()));
    }

    public String id() { return runId; }
    public RunbookDefinition definition() { return def; }

    public synchronized RunState state() {
        return new RunState(runId, def.name(), def.title(), drill, params, steps, status, startedAt, Optional.ofNullable(finishedAt));
    }

    /** What the current step will do, without doing it. */
    public synchronized Optional<ActionPreview> preview() throws RunbookException {
        Optional<StepState> cur = current();
        if (cur.isEmpty()) return Optional.empty();
        StepSpec spec = def.step(cur.get().stepId()).orElseThrow();
        if (spec.manual()) return Optional.of(ActionPreview.readOnly("Manual step: do it yourself, then approve to mark it done.", spec.guide()));
        return Optional.of(actions.get(spec.action().get()).preview(context(spec, cur.get())));
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
                expand(spec, steps.indexOf(s));
                continue;
            }
            if (s.status() == Status.FAILED) {
                status = RunState.Status.FAILED;
                break;
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
            execute(spec, s);
        }
        return state();
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

    /** Approves the step waiting at an approve gate, then continues. */
    public synchronized RunState approve() throws RunbookException {
        StepState s = current().filter(x -> x.status() == Status.WAITING_APPROVAL)
                .orElseThrow(() -> new RunbookException("no step is waiting for approval"));
        StepSpec spec = def.step(s.stepId()).orElseThrow();
        gateGuard.beforeApproval(state(), s, spec, context(spec, s), safePreview());
        approved.add(s.key());
        if (spec.manual()) {
            Instant now = clock.instant();
            record(s.with(Status.SUCCEEDED, "done by the operator", Map.of(), Optional.of(now), Optional.of(now), ""));
        }
        return advance();
    }

    /** Runs a failed step again. */
    public synchronized RunState retry() throws RunbookException {
        StepState s = current().filter(x -> x.status() == Status.FAILED)
                .orElseThrow(() -> new RunbookException("no step has failed: nothing to retry"));
        record(s.with(Status.PENDING, "retry requested", Map.of(), Optional.empty(), Optional.empty(), ""));
        approved.add(s.key());
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
        for (StepState s : steps) {
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
        RunbookAction action = actions.get(spec.action().orElseThrow());
        Instant start = clock.instant();
        StepContext ctx = context(spec, s);
        if (s.status() == Status.RUNNING) {
            Optional<StepOutcome> done;
            try {
                done = action.recheck(ctx);
            } catch (RunbookException | RuntimeException e) {
                done = Optional.of(StepOutcome.Failed.of("could not tell whether the interrupted step finished: " + e.getMessage(),
                        "check by hand, then retry the step or skip it with a reason"));
            }
            if (done.isPresent()) {
                finishStep(s, done.get(), s.startedAt().orElse(start));
                return;
            }
        }
        StepState running = s.with(Status.RUNNING, "running", Map.of(), Optional.of(start), Optional.empty(), "");
        record(running);
        listener.stepStarted(running);
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
        listener.stepFinished(done);
        if (done.status() == Status.FAILED) status = RunState.Status.FAILED;
    }

    /**
     * Replaces the placeholder(s) of a forEach step, or of every step of its group, with one instance
     * per item: step by step for a plain forEach, item by item for a group. An empty set records each
     * placeholder as skipped.
     */
    private void expand(StepSpec spec, int index) throws RunbookException {
        List<StepSpec> specs = expandInMemory(spec, index);
        if (specs.isEmpty()) return;
        Instant now = clock.instant();
        for (StepSpec sp : specs) {
            int i = indexOf(sp.id());
            StepState none = steps.get(i).with(Status.SKIPPED, "nothing to do: the set '" + spec.forEach().get() + "' is empty",
                    Map.of(), Optional.of(now), Optional.of(now), "empty set");
            steps.set(i, none);
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
        return new StepContext(runId, def.name(), drill, drillPolicy, params, s.item(), spec.with(), outputs.visibleTo(s.item()), outputs.sets(), new StepContext.Progress() {
            @Override public void report(double fraction, String message) { listener.progress(s, fraction, message); }
            @Override public void log(String line) { listener.log(s, line); }
        }, s.status() == Status.RUNNING ? s.startedAt() : Optional.empty());
    }

    private Optional<StepState> current() {
        return steps.stream().filter(x -> !x.status().done()).findFirst();
    }

    /** Records a transition (history first, then memory). */
    void record(StepState s) throws RunbookException {
        journal.step(runId, s, drill, def.step(s.stepId()).flatMap(StepSpec::action).orElse("manual"));
        apply(s);
    }

    /** Applies a transition to memory only (used when replaying history). */
    void apply(StepState s) {
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
            outputs.record(s);
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
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).key().equals(key)) return i;
        return -1;
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

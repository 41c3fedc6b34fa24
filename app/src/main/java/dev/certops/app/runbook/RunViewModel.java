package dev.certops.app.runbook;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.ConsoleWords;
import dev.certops.app.common.UserMessages;
import dev.certops.deploy.HostOutcome;
import dev.certops.report.RunReport;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookDefinition;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.StepSpec;
import dev.certops.runbook.StepState;
import dev.certops.words.Words;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A guided run: the steps and their states, the current step's guide and preview, the operator's
 * controls (enabled by state), a live log and the overall progress. The engine runs through the
 * {@link BackgroundExecutor}; its events are handed to the UI thread through {@code ui}.
 */
public final class RunViewModel {
    /** Puts one host of a certificate back on its previous release (a core deploy service). */
    @FunctionalInterface
    public interface Rollbacker { HostOutcome rollback(String certificateId, String hostId) throws Exception; }

    /** What the end screen needs from the session: the run's report (history), where it is written, the Estate and the desktop. */
    public interface EndScreen {
        RunReport report(RunbookDefinition definition, RunState state) throws Exception;
        /** Writes the report's files (HTML, JSON, JUnit, Prometheus) and returns the HTML page. */
        Path write(RunReport report) throws Exception;
        void showInEstate(String certificateId);
        void open(Path file);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final RunbookEngine engine;
    private final BackgroundExecutor executor;
    private final Executor ui;
    private final Rollbacker rollbacker;
    private final ObservableList<StepState> steps = FXCollections.observableArrayList();
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ObservableList<String> deployedOnAbort = FXCollections.observableArrayList();
    private final ObjectProperty<RunState.Status> status = new SimpleObjectProperty<>();
    private final ObjectProperty<ActionPreview> preview = new SimpleObjectProperty<>();
    private final ObjectProperty<StepState> current = new SimpleObjectProperty<>();
    private final StringProperty guide = new SimpleStringProperty("");
    private final StringProperty runId = new SimpleStringProperty("");
    private final StringProperty title = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty details = new SimpleStringProperty("");
    private final BooleanProperty drill = new SimpleBooleanProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final BooleanBinding canApprove = Bindings.createBooleanBinding(() -> !busy.get() && status.get() == RunState.Status.WAITING_APPROVAL, busy, status);
    private final BooleanBinding canRetry = Bindings.createBooleanBinding(() -> !busy.get() && status.get() == RunState.Status.FAILED, busy, status);
    private final BooleanBinding canSkip = Bindings.createBooleanBinding(() -> canApprove.get() || canRetry.get(), canApprove, canRetry);
    private final BooleanBinding canAbort = Bindings.createBooleanBinding(() -> !busy.get() && status.get() != null && !status.get().finished(), busy, status);
    private final ObjectProperty<RunSummary> summary = new SimpleObjectProperty<>();
    private EndScreen endScreen;
    private RunReport report;
    private Run run;

    public RunViewModel(RunbookEngine engine, BackgroundExecutor executor, Executor ui, Rollbacker rollbacker) {
        this.engine = engine;
        this.executor = executor;
        this.ui = ui;
        this.rollbacker = rollbacker;
    }

    public ObservableList<StepState> steps() { return steps; }
    public ObservableList<String> log() { return log; }
    public ObservableList<String> deployedOnAbort() { return deployedOnAbort; }
    public ObjectProperty<RunState.Status> statusProperty() { return status; }
    public ObjectProperty<ActionPreview> previewProperty() { return preview; }
    public ObjectProperty<StepState> currentProperty() { return current; }
    public StringProperty guideProperty() { return guide; }
    public StringProperty runIdProperty() { return runId; }
    public StringProperty titleProperty() { return title; }
    public StringProperty messageProperty() { return message; }
    public StringProperty detailsProperty() { return details; }
    public BooleanProperty drillProperty() { return drill; }
    public BooleanProperty busyProperty() { return busy; }
    public DoubleProperty progressProperty() { return progress; }
    public BooleanBinding canApprove() { return canApprove; }
    public BooleanBinding canRetry() { return canRetry; }
    public BooleanBinding canSkip() { return canSkip; }
    public BooleanBinding canAbort() { return canAbort; }
    /** The finished run's summary (null while it runs, and until its report has been read). */
    public ObjectProperty<RunSummary> summaryProperty() { return summary; }
    public void setEndScreen(EndScreen endScreen) { this.endScreen = endScreen; }

    /** The Estate, on the row of the certificate the run was about (the end screen's link). */
    public void showInEstate() {
        RunSummary s = summary.get();
        if (endScreen != null && s != null) s.certificate().ifPresent(endScreen::showInEstate);
    }

    /** Writes the finished run's report into the workspace and opens its HTML page; the message says where it is. */
    public void openReport() {
        RunReport r = report;
        if (endScreen == null || r == null) return;
        executor.run("Writing the run's report", () -> endScreen.write(r), html -> {
            message.set("The report is in " + html.getParent() + " (report.html opened; report.json, junit.xml and a Prometheus file beside it).");
            endScreen.open(html);
        }, t -> message.set("The report could not be written: " + UserMessages.headline(t)));
    }

    /** Reads the finished run's report from history and shows its summary. */
    private void summarise(RunState s) {
        if (endScreen == null || run == null) return;
        RunbookDefinition def = run.definition();
        executor.run("Summarising the run", () -> endScreen.report(def, s), r -> {
            report = r;
            summary.set(RunSummary.of(r, Instant.now()));
        }, t -> details.set("The run's summary could not be read from history: " + UserMessages.headline(t)));
    }

    /** Starts a run (parameters are checked by the engine) and advances to the first gate. */
    public void start(RunbookDefinition def, Map<String, String> params, boolean drillMode) {
        drill.set(drillMode);
        title.set(def.title());
        perform("Starting " + def.name(), () -> {
            run = engine.start(def, params, drillMode, listener());
            return run.advance();
        });
    }

    /** Reopens an unfinished run from history and continues where it stopped. */
    public void resume(String id) {
        perform("Resuming run " + id, () -> {
            run = engine.resume(id, listener());
            return run.state().status().finished() ? run.state() : run.advance();
        });
    }

    /** Approves what the preview shows: the step, or every item of a forEach step waiting at its gate. */
    public void approve() { perform("Running the approved step", () -> run.approveBatch()); }
    public void retry() { perform("Retrying the step", () -> run.retry()); }

    /** Skips the current step; without a reason nothing happens and the message says why. */
    public void skip(String reason) {
        if (reason == null || reason.isBlank()) {
            message.set("A skip needs a reason: it goes into the history and the run's report.");
            return;
        }
        perform("Skipping the step", () -> run.skip(reason));
    }

    /** Stops the run; what it deployed is offered for rollback. */
    public void abort() {
        perform("Aborting the run", () -> {
            List<Map<String, Object>> deployed = run.abort();
            List<String> hosts = deployed.stream().flatMap(d -> d.get("deployed") instanceof List<?> l ? l.stream().map(String::valueOf) : Stream.empty()).toList();
            ui.execute(() -> deployedOnAbort.setAll(hosts));
            return run.state();
        });
    }

    /**
     * Rolls back every host the aborted run had deployed ("cert@host"), each on its own: a host that
     * fails does not stop the others, and stays offered for another try.
     */
    public void rollBackDeployed() {
        List<String> targets = List.copyOf(deployedOnAbort);
        busy.set(true);
        executor.run("Rolling back " + Words.count(targets.size(), "host"), () -> {
            List<String> failed = new ArrayList<>();
            for (String t : targets) {
                int at = t.indexOf('@');
                String line;
                try {
                    HostOutcome o = rollbacker.rollback(t.substring(0, at), t.substring(at + 1));
                    line = o.summary();
                    if (!(o instanceof HostOutcome.RolledBack rb && rb.restoredVerified())) failed.add(t);
                } catch (Exception e) {
                    line = t + ": " + UserMessages.headline(e);
                    failed.add(t);
                }
                String logged = line;
                ui.execute(() -> addLog(logged));
            }
            return failed;
        }, failed -> {
            busy.set(false);
            deployedOnAbort.setAll(failed);
            message.set(failed.isEmpty() ? "Rolled back " + Words.count(targets.size(), "host") + " to their previous release, verified."
                    : (targets.size() - failed.size()) + " of " + Words.count(targets.size(), "host") + " rolled back; not rolled back: " + String.join(", ", failed)
                    + " — see the log, fix the host, then roll back again.");
        }, this::failed);
    }

    private void perform(String what, Callable<RunState> work) {
        busy.set(true);
        message.set(what + "…");
        details.set("");
        executor.run(what, work, this::show, this::failed);
    }

    /** The run as it now stands, with the error as the message (the state alone would hide why the action failed). */
    private void failed(Throwable t) {
        if (run != null) show(run.state());
        busy.set(false);
        message.set(UserMessages.headline(t));
        details.set(UserMessages.details(t));
    }

    /** Shows a run's state; the guide and preview follow the current step. */
    void show(RunState s) {
        busy.set(false);
        runId.set(s.runId());
        title.set(s.title());
        drill.set(s.drill());
        StepState cur = s.current().orElse(null);
        message.set(switch (s.status()) {
            case WAITING_APPROVAL -> "Waiting for your approval: read the preview, then Approve, Skip (with a reason) or Abort.";
            case FAILED -> "The step failed: " + (cur == null ? "" : ConsoleWords.of(cur.summary() + " — " + cur.reason()));
            case SUCCEEDED -> "The run succeeded in " + Words.elapsed(Duration.between(s.startedAt(), s.finishedAt().orElse(Instant.now())))
                    + ". The summary above says what changed; each step's outcome is in the list on the left. The Estate, Budget and History read the new state now.";
            case ABORTED -> "The run was aborted." + (deployedOnAbort.isEmpty() ? "" : " It had deployed to " + Words.count(deployedOnAbort.size(), "host") + ": roll them back?");
            case STOPPED -> "The run was stopped.";
            case RUNNING -> "Running…";
        });
        steps.setAll(s.steps());
        progress.set(s.progress());
        current.set(cur);
        guide.set(cur == null ? "" : withParams(guideOf(cur.stepId()), s.params()));
        if (s.status() != RunState.Status.WAITING_APPROVAL) preview.set(null);
        if (s.status().finished() && (summary.get() == null || report == null || !report.runId().equals(s.runId()))) summarise(s);
        // the status last: whoever sees the new status (a person, a test) reads the message, steps and preview that go with it
        status.set(s.status());
    }

    /** The step's guide, after its group's guide when it repeats with a group (what the whole group is for). */
    private String guideOf(String stepId) {
        var def = run.definition();
        StepSpec spec = def.step(stepId).orElse(null);
        if (spec == null) return "";
        String group = def.groupOf(spec).map(g -> g.guide().strip()).orElse("");
        String check = spec.check().filter(c -> !c.isBlank()).map(c -> "\n\n**Check:** " + c.strip()).orElse("");
        return (group.isEmpty() ? spec.guide() : group + "\n\n" + spec.guide()) + check;
    }

    /** The guide as the operator should read it: {@code ${param.X}} replaced by this run's value. */
    static String withParams(String guide, Map<String, String> params) {
        String out = guide;
        for (var e : params.entrySet()) out = out.replace("${param." + e.getKey() + "}", e.getValue());
        return out;
    }

    private void addLog(String line) {
        log.add(LocalTime.now().format(TIME) + "  " + ConsoleWords.of(line)); // core's lines, their command-line hints as the console's buttons
    }

    private RunListener listener() {
        return new RunListener() {
            @Override public void stepStarted(StepState step) { ui.execute(() -> { replace(step); addLog(step.title() + " — started"); }); }
            @Override public void stepFinished(StepState step) {
                ui.execute(() -> { replace(step); addLog(step.title() + " — " + step.status().name().toLowerCase() + ": " + step.summary()); });
            }
            @Override public void log(StepState step, String line) { ui.execute(() -> addLog("  " + line)); }
            @Override public void progress(StepState step, double fraction, String text) { ui.execute(() -> addLog("  " + text)); }
            @Override public void waitingForApproval(StepState step, ActionPreview p) { ui.execute(() -> { preview.set(p); addLog(step.title() + " — waiting for approval"); }); }
            @Override public void runFinished(RunState s) { ui.execute(() -> addLog("Run " + s.runId() + " " + s.status().name().toLowerCase())); }
        };
    }

    private void replace(StepState s) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).key().equals(s.key())) {
                steps.set(i, s);
                return;
            }
        }
        steps.add(s);
    }
}

package dev.certops.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.config.ConfigException;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Starts and resumes runs. The console and the CLI drive the same engine. */
public final class RunbookEngine {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private final ActionRegistry actions;
    private final RunJournal journal;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RunbookEngine(ActionRegistry actions, HistoryStore history, Clock clock) {
        this.actions = actions;
        this.journal = new RunJournal(history);
        this.clock = clock;
    }

    public ActionRegistry actions() { return actions; }

    private final List<Consumer<RunState>> whenFinished = new CopyOnWriteArrayList<>();

    /**
     * Called on the engine's thread when any run of this engine finishes, whoever drives it (CLI or
     * console): the session uses it to report drills to the alert channels.
     */
    public RunbookEngine whenFinished(Consumer<RunState> hook) {
        whenFinished.add(hook);
        return this;
    }

    private volatile GateGuard gateGuard = GateGuard.NONE;

    /**
     * How many items of a forEach step run at once when the step does not say ({@code concurrency:}): enough
     * for an incident's batch of renewals and deploys to overlap their waits on CAs and hosts, few enough
     * that a CA's per-account order rate and a host's sshd see a handful of sessions, not dozens.
     */
    public static final int DEFAULT_ITEMS_AT_ONCE = 10;

    private volatile int itemsAtOnce = DEFAULT_ITEMS_AT_ONCE;

    /** Sets how many items of a forEach step run at once by default (1 runs them one after another). */
    public RunbookEngine itemsAtOnce(int n) {
        if (n < 1 || n > RunbookLoader.MAX_CONCURRENCY) {
            throw new IllegalArgumentException(n + " items at once: give 1 to " + RunbookLoader.MAX_CONCURRENCY);
        }
        this.itemsAtOnce = n;
        return this;
    }

    /** Installs the check every gate approval passes (a team's two-person rule). */
    public RunbookEngine gateGuard(GateGuard guard) {
        this.gateGuard = guard;
        return this;
    }

    /** Checks the parameters, records the start, and returns the run (call {@link Run#advance()} to go). */
    public Run start(RunbookDefinition def, Map<String, String> params, boolean drill, RunListener listener) throws RunbookException {
        if (def.drillOnly() && !drill) {
            throw new RunbookException("runbook '" + def.name() + "' runs only as a drill (staging CAs, hosts tagged drill: true): "
                    + "use `certops drill` or add --drill");
        }
        Map<String, String> resolved = Params.resolve(def, params);
        byte[] r = new byte[2];
        random.nextBytes(r);
        Instant now = clock.instant();
        String runId = ID.format(now) + "-" + HexFormat.of().formatHex(r);
        journal.started(runId, def, resolved, drill);
        return new Run(def, runId, drill, resolved, actions, journal, clock, listener, whenFinished, now, itemsAtOnce).guardedBy(gateGuard);
    }

    /**
     * Rebuilds a run from history after a crash or restart. Completed steps are never repeated;
     * a step that was running when the console died is re-checked (its action's recheck) before it
     * is run again.
     */
    public Run resume(String runId, RunListener listener) throws RunbookException {
        List<HistoryEvent> events = journal.events(runId);
        HistoryEvent started = events.stream().filter(e -> e.kind().equals(EventKinds.RUNBOOK_STARTED)).findFirst()
                .orElseThrow(() -> new RunbookException("no run '" + runId + "' in this workspace's history — `certops runbook runs` lists them"));
        JsonNode d = RunJournal.details(started);
        String source = RunJournal.text(d, "source").orElse("runbook");
        RunbookDefinition def;
        try {
            def = new RunbookLoader(actions.types()).parse(Path.of(source), source, RunJournal.text(d, "definition").orElseThrow());
        } catch (ConfigException e) {
            throw new RunbookException("run " + runId + " cannot be resumed: its runbook no longer loads (" + e.getMessage() + ")", e);
        }
        Map<String, String> params = new LinkedHashMap<>();
        d.path("params").fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
        Run run = new Run(def, runId, d.path("drill").asBoolean(), params, actions, journal, clock, listener, whenFinished, started.time(), itemsAtOnce)
                .guardedBy(gateGuard);
        for (HistoryEvent e : events) {
            if (e.kind().equals(EventKinds.RUNBOOK_STEP)) {
                JsonNode s = RunJournal.details(e);
                StepState.Status status = StepState.Status.valueOf(s.path("status").asText());
                Optional<String> item = RunJournal.text(s, "item");
                String stepId = s.path("step").asText();
                String title = def.step(stepId).map(StepSpec::title).orElse(stepId);
                StepState base = StepState.pending(stepId, item, title);
                StepState st = base.with(status, s.path("summary").asText(), RunJournal.map(s.get("outputs")),
                        RunJournal.text(s, "startedAt").map(Instant::parse), RunJournal.text(s, "finishedAt").map(Instant::parse),
                        s.path("reason").asText());
                run.apply(st);
                boolean retried = status == StepState.Status.PENDING && "retry requested".equals(st.summary());
                if (status == StepState.Status.RUNNING || status == StepState.Status.SUCCEEDED || retried) run.markApproved(st.key());
            } else if (e.kind().equals(EventKinds.RUNBOOK_FINISHED)) {
                run.restoreStatus(RunState.Status.valueOf(RunJournal.details(e).path("status").asText()), e.time());
            }
        }
        return run;
    }

    /** Runs that started and never finished, newest first: offered for resume on start-up. */
    public List<String> unfinishedRuns() throws RunbookException { return journal.unfinishedRuns(); }
}

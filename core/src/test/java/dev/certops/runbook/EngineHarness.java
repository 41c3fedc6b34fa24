package dev.certops.runbook;

import dev.certops.config.ConfigException;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.SqliteHistoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real SQLite history in a temp dir, an engine over the test {@link World}, and a listener that records. */
final class EngineHarness implements AutoCloseable {
    final Path db;
    final World world;
    SqliteHistoryStore history;
    RunbookEngine engine;
    final List<ActionPreview> previews = new ArrayList<>();
    final List<String> started = new ArrayList<>();

    EngineHarness(Path dir, World world) throws HistoryException {
        this.db = dir.resolve("history.db");
        this.world = world;
        open();
    }

    void open() throws HistoryException {
        history = SqliteHistoryStore.open(db, "tester@lab");
        engine = new RunbookEngine(world.registry(), history, Clock.systemUTC());
    }

    /** Closes the store and opens a fresh engine on the same file: what a restarted console sees. */
    void restart() throws HistoryException {
        history.close();
        open();
    }

    RunListener listener() {
        return new RunListener() {
            @Override public void waitingForApproval(StepState step, ActionPreview preview) { previews.add(preview); }
            @Override public void stepStarted(StepState step) { started.add(step.key()); }
        };
    }

    RunbookDefinition parse(String yaml) throws ConfigException {
        return new RunbookLoader(world.registry().types()).parse(Path.of("test.yaml"), "test.yaml", yaml);
    }

    Run start(String yaml, Map<String, String> params, boolean drill) throws Exception {
        return engine.start(parse(yaml), params, drill, listener());
    }

    List<HistoryEvent> events(String runId, String kind) throws HistoryException {
        return history.query(EventQuery.all().subject(runId).kind(kind));
    }

    List<HistoryEvent> steps(String runId) throws HistoryException { return events(runId, EventKinds.RUNBOOK_STEP); }

    @Override
    public void close() throws HistoryException { history.close(); }
}

package dev.certops.app.shell;

import dev.certops.config.ConfigException;
import dev.certops.config.Workspace;
import dev.certops.estate.EstateService;
import dev.certops.estate.EstateSnapshot;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.NewEvent;
import dev.certops.root.CompositionRoot;
import dev.certops.words.Words;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * The shell's state: which workspace is open, whether it exists and is valid, the status line, and
 * the session (core services) the screens use. Plain Java, tested without a screen.
 */
public final class ShellViewModel implements AutoCloseable {
    private final Workspace workspace;
    private final BooleanProperty workspaceReady = new SimpleBooleanProperty();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private CompositionRoot session;
    private final Map<String, String> env;
    /** The Estate's first scan, begun before its screen was built ({@link #scanAhead()}), until the screen takes it. */
    private Future<EstateSnapshot> scannedAhead;

    public ShellViewModel(Workspace workspace) {
        this(workspace, System.getenv());
    }

    /** With the environment the session reads ($SSH_AUTH_SOCK and $CERTOPS_SIGNING_KEY: whose console this is). */
    public ShellViewModel(Workspace workspace, Map<String, String> env) {
        this.workspace = workspace;
        this.env = Map.copyOf(env);
        refresh();
    }

    public Workspace workspace() { return workspace; }
    public BooleanProperty workspaceReadyProperty() { return workspaceReady; }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    public ReadOnlyStringProperty problemProperty() { return problem.getReadOnlyProperty(); }

    /** The open workspace's services, shared by every screen. */
    public synchronized CompositionRoot session() {
        if (session == null) session = new CompositionRoot(workspace, env, Clock.systemUTC());
        return session;
    }

    /**
     * A scan of this workspace's estate for another thread to run now, before the Estate screen exists
     * (ConsoleHeadStart: while JavaFX starts); that screen's first scan then waits for it instead of
     * scanning again. Null when there is nothing to scan yet (no workspace, or certops.yaml has an error).
     */
    public synchronized Runnable scanAhead() {
        if (!workspaceReady.get() || !problem.get().isEmpty()) return null;
        FutureTask<EstateSnapshot> scan = new FutureTask<>(() -> new EstateService(session()).scan());
        scannedAhead = scan;
        return scan;
    }

    /** The Estate screen's scans: the first answers with the scan begun ahead when there is one; every other scans now. */
    public Callable<EstateSnapshot> estateScans() {
        return () -> {
            Future<EstateSnapshot> ahead;
            synchronized (this) {
                ahead = scannedAhead;
                scannedAhead = null;
            }
            if (ahead == null) return new EstateService(session()).scan();
            try {
                return ahead.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) throw x; // the same failure the screen's own scan would have met
                if (e.getCause() instanceof Error x) throw x;
                throw e;
            }
        };
    }

    /** Re-reads the workspace: exists? valid configuration? */
    public void refresh() {
        if (!workspace.exists()) {
            workspaceReady.set(false);
            status.set("No workspace at " + workspace.root());
            problem.set("");
            return;
        }
        try {
            var cfg = session().reloadConfig();
            problem.set("");
            status.set("Workspace " + workspace.root() + " · " + Words.count(cfg.certificates().size(), "certificate") + ", "
                    + Words.count(cfg.hosts().size(), "host") + ", " + Words.count(cfg.cas().size(), "CA"));
        } catch (ConfigException e) {
            problem.set(e.getMessage());
            status.set("Workspace " + workspace.root() + " · certops.yaml has an error");
        }
        workspaceReady.set(true);
    }

    /** Creates the workspace (the empty state's main action). */
    public void createWorkspace() {
        try {
            workspace.create();
            session().history().append(NewEvent.of(EventKinds.WORKSPACE_CREATED, workspace.root().toString(), "ok"));
        } catch (IOException | HistoryException e) {
            problem.set("Could not create the workspace at " + workspace.root() + ": " + e.getMessage()
                    + ". Choose a folder you can write to (--workspace DIR).");
        }
        refresh();
    }

    @Override
    public synchronized void close() {
        if (session != null) session.close();
    }
}

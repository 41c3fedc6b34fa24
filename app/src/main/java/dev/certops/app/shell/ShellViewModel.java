package dev.certops.app.shell;

import dev.certops.config.ConfigException;
import dev.certops.config.Workspace;
import java.io.IOException;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.BooleanProperty;

/**
 * The shell's state: which workspace is open, whether it exists, and the status line. Plain
 * Java, tested without a screen.
 */
public final class ShellViewModel {
    private final Workspace workspace;
    private final BooleanProperty workspaceReady = new SimpleBooleanProperty();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    public ShellViewModel(Workspace workspace) {
        this.workspace = workspace;
        refresh();
    }

    public Workspace workspace() { return workspace; }
    public BooleanProperty workspaceReadyProperty() { return workspaceReady; }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    public ReadOnlyStringProperty problemProperty() { return problem.getReadOnlyProperty(); }

    /** Re-reads the workspace: exists? valid configuration? */
    public void refresh() {
        if (!workspace.exists()) {
            workspaceReady.set(false);
            status.set("No workspace at " + workspace.root());
            problem.set("");
            return;
        }
        try {
            var cfg = workspace.loadConfig();
            workspaceReady.set(true);
            problem.set("");
            status.set("Workspace " + workspace.root() + " · " + cfg.certificates().size() + " certificate(s), "
                    + cfg.hosts().size() + " host(s), " + cfg.cas().size() + " CA(s)");
        } catch (ConfigException e) {
            workspaceReady.set(true);
            problem.set(e.getMessage());
            status.set("Workspace " + workspace.root() + " · certops.yaml has an error");
        }
    }

    /** Creates the workspace (the empty state's main action). */
    public void createWorkspace() {
        try {
            workspace.create();
        } catch (IOException e) {
            problem.set("Could not create the workspace at " + workspace.root() + ": " + e.getMessage()
                    + ". Choose a folder you can write to (--workspace DIR).");
        }
        refresh();
    }
}

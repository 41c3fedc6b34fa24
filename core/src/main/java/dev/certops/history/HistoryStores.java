package dev.certops.history;

import dev.certops.config.Workspace;

/**
 * Opens a workspace's history: the local SQLite file ({@code history.db}). Team mode adds a
 * shared PostgreSQL store behind the same {@link HistoryStore} port.
 */
public final class HistoryStores {
    private HistoryStores() { }

    public static HistoryStore open(Workspace workspace, String actor) throws HistoryException {
        return SqliteHistoryStore.open(workspace.historyFile(), actor);
    }
}

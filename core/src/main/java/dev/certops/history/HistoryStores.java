package dev.certops.history;

import dev.certops.config.ConfigException;
import dev.certops.config.HistoryConfig;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.startup.StartupTrace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Opens a workspace's history, chosen by certops.yaml: with a {@code history:} section, the team's
 * shared PostgreSQL ({@link PostgresHistoryStore}); without one, the local SQLite file
 * {@code history.db}. When the shared database cannot be reached the open fails: nothing is ever
 * written to the local file instead.
 */
public final class HistoryStores {
    private HistoryStores() { }

    public static HistoryStore open(Workspace workspace, String actor) throws HistoryException {
        return open(workspace, actor, System.getenv(), Clock.systemUTC());
    }

    public static HistoryStore open(Workspace workspace, String actor, Map<String, String> env, Clock clock)
            throws HistoryException {
        HistoryStore store = open(database(workspace, env), actor, clock);
        if (store instanceof PostgresHistoryStore pg) pg.anchorIn(Anchors.team(workspace.stateDir()));
        return store;
    }

    /** Opens the store for a database. */
    public static HistoryStore open(HistoryDatabase db, String actor, Clock clock) throws HistoryException {
        try (StartupTrace.Phase p = StartupTrace.phase("history open")) {
            if (db instanceof HistoryDatabase.Postgres pg) {
                return PostgresHistoryStore.open(pg, actor, clock);
            }
            return SqliteHistoryStore.open(((HistoryDatabase.Sqlite) db).file(), actor, clock);
        }
    }

    /** The workspace's history database: the configured shared PostgreSQL, else the local file. */
    public static HistoryDatabase database(Workspace workspace, Map<String, String> env) throws HistoryException {
        if (!workspace.exists()) {
            return new HistoryDatabase.Sqlite(workspace.historyFile());
        }
        Optional<HistoryConfig> team;
        try {
            team = workspace.loadConfig().history();
        } catch (ConfigException e) {
            throw new HistoryException("cannot tell where the history is: " + e.getMessage()
                    + " Fix certops.yaml (certops config check); nothing was written.", e);
        }
        return database(workspace, env, team);
    }

    /** The same, from a certops.yaml already read ({@code team}: its {@code history:} section), so it is not read again. */
    public static HistoryDatabase database(Workspace workspace, Map<String, String> env, Optional<HistoryConfig> team) throws HistoryException {
        if (team.isEmpty()) {
            return new HistoryDatabase.Sqlite(workspace.historyFile());
        }
        HistoryConfig h = team.get();
        return new HistoryDatabase.Postgres(h.url(), h.user(), password(workspace, env, h), h.ssl());
    }

    private static String password(Workspace workspace, Map<String, String> env, HistoryConfig h)
            throws HistoryException {
        if (h.password().isPresent()) {
            String name = h.password().get().name().orElseThrow();
            try {
                return new String(new SecretStore(workspace.secretsDir(), Workspace.passphrase(env)).read(name),
                        StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new HistoryException("cannot read the password of the shared history at " + h.url()
                        + " from secret '" + name + "' in " + workspace.secretsDir() + ": " + e.getMessage()
                        + ". Store it with the secrets tooling, or leave password out and set $"
                        + HistoryConfig.ENV_PASSWORD + ".", e);
            }
        }
        String env1 = env.get(HistoryConfig.ENV_PASSWORD);
        if (env1 == null || env1.isEmpty()) {
            throw new HistoryException("the shared history at " + h.url() + " needs a password: give password: "
                    + "\"secret:NAME\" in the history section of certops.yaml, or set $" + HistoryConfig.ENV_PASSWORD + ".");
        }
        return env1;
    }
}

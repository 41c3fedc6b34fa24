package dev.certops.history;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.certops.startup.StartupTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations for a history database.
 *
 * <p>Scripts live on the classpath under {@code db/migration/<dialect>/}, named {@code V<n>__<what>.sql}
 * with n = 1, 2, 3... and listed, oldest first, in that folder's {@code index.txt} (a folder cannot be
 * listed inside a jar). Each script runs in its own transaction together with its row in
 * {@code schema_version(version, description, script, checksum, applied_at)}, so a crash leaves the
 * database at a whole version. The current version is read inside that transaction, so two processes
 * opening one database apply each script once. A database whose version is newer than the newest
 * script is refused untouched.
 *
 * <p>A script is run as one {@link Statement#executeUpdate(String)}, which both sqlite-jdbc and
 * pgjdbc accept for several statements; PostgreSQL gets its own folder and {@link Dialect}.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    /** How one database product begins, commits and rolls back a migration transaction. */
    public record Dialect(String folder, String begin, String commit, String rollback) {
        /** BEGIN IMMEDIATE takes the write lock up front, so concurrent openers serialize. */
        public static final Dialect SQLITE = new Dialect("sqlite", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK");
        /** The table lock serializes consoles that open one shared database at the same moment. */
        public static final Dialect POSTGRESQL = new Dialect("postgresql",
                "BEGIN; LOCK TABLE schema_version IN EXCLUSIVE MODE", "COMMIT", "ROLLBACK");
    }

    /** One migration script. */
    public record Script(int version, String description, String resource, String sql, String checksum) { }

    private final Dialect dialect;
    private final List<Script> scripts;

    private Migrations(Dialect dialect, List<Script> scripts) {
        this.dialect = dialect;
        this.scripts = List.copyOf(scripts);
    }

    /** Loads the dialect's scripts from {@code db/migration/<folder>/} on this class's classpath. */
    public static Migrations load(Dialect dialect) {
        return load(dialect, "db/migration/", Migrations.class.getClassLoader());
    }

    static Migrations load(Dialect dialect, String root, ClassLoader loader) {
        String folder = root + dialect.folder() + "/";
        String index = read(loader, folder + "index.txt");
        List<Script> scripts = new ArrayList<>();
        for (String line : index.split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Matcher m = NAME.matcher(name);
            if (!m.matches() || Integer.parseInt(m.group(1)) != scripts.size() + 1) {
                throw new IllegalStateException(folder + "index.txt lists '" + name + "' where V" + (scripts.size() + 1)
                        + "__<what>.sql was expected; scripts must be numbered 1, 2, 3... in order");
            }
            String sql = read(loader, folder + name);
            scripts.add(new Script(scripts.size() + 1, m.group(2).replace('_', ' '), folder + name, sql, sha256(sql)));
        }
        return new Migrations(dialect, scripts);
    }

    public List<Script> scripts() { return scripts; }

    /** The schema version this code writes: the newest script's. */
    public int latestVersion() { return scripts.size(); }

    /**
     * Brings the database up to {@link #latestVersion()}. The connection must be in auto-commit mode.
     *
     * @param where names the database in messages (its file or URL)
     * @return how many scripts were applied (0 when already current)
     */
    public int apply(Connection c, String where, Clock clock) throws HistoryException {
        // nearly every open: the schema is current, which one read says — no write lock, no checksum pass
        if (versionIfRecorded(c) == latestVersion()) return 0;
        int applied = 0;
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    + "description TEXT NOT NULL, script TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
            while (true) {
                st.executeUpdate(dialect.begin());
                try {
                    int current = currentVersion(c);
                    if (current > latestVersion()) {
                        throw new HistoryException("the history at " + where + " has schema version " + current
                                + ", newer than this certops understands (" + latestVersion() + "). "
                                + "It was written by a newer certops: upgrade certops to open it. Nothing was changed.");
                    }
                    if (current == latestVersion()) {
                        st.executeUpdate(dialect.commit());
                        warnOnChangedScripts(c, where);
                        return applied;
                    }
                    Script next = scripts.get(current);
                    st.executeUpdate(next.sql());
                    record(c, next, clock);
                    st.executeUpdate(dialect.commit());
                    applied++;
                    LOG.info("history {}: applied schema migration {} ({})", where, next.version(), next.description());
                } catch (HistoryException | SQLException | RuntimeException e) {
                    rollbackQuietly(st);
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new HistoryException("could not prepare the history schema at " + where + ": " + e.getMessage()
                    + ". Check that it is a certops history database and that it is writable; it was left as it was.", e);
        }
    }

    /** The highest applied version, or -1 when there is no schema_version table (yet) or it cannot be read. */
    private static int versionIfRecorded(Connection c) {
        try (StartupTrace.Phase p = StartupTrace.phase("history: schema version")) {
            return currentVersion(c);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The highest applied version, 0 for an empty database. */
    static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private void record(Connection c, Script s, Clock clock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO schema_version (version, description, script, checksum, applied_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setInt(1, s.version());
            ps.setString(2, s.description());
            ps.setString(3, s.resource());
            ps.setString(4, s.checksum());
            ps.setString(5, clock.instant().toString());
            ps.executeUpdate();
        }
    }

    private void warnOnChangedScripts(Connection c, String where) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, checksum FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                int v = rs.getInt(1);
                if (v >= 1 && v <= scripts.size() && !scripts.get(v - 1).checksum().equals(rs.getString(2))) {
                    LOG.warn("history {}: migration {} was applied from a different script than this build ships",
                            where, v);
                }
            }
        }
    }

    private void rollbackQuietly(Statement st) {
        try {
            st.executeUpdate(dialect.rollback());
        } catch (SQLException e) {
            LOG.debug("rollback after a failed migration step also failed", e);
        }
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + resource + " is missing from the classpath; "
                        + "the certops build is incomplete");
            }
            return new String(in.readAllBytes(), UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("could not read migration resource " + resource, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }
}

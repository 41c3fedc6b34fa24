package dev.certops.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/**
 * History in one SQLite file (a workspace's {@code history.db}): append-only and hash-chained.
 *
 * <h2>Storage</h2>
 * Table {@code events(seq, time_ms, time_iso, actor, kind, subject, outcome, details, prev_hash, hash)},
 * created by the scripts in {@code db/migration/sqlite/} (see {@link Migrations}); triggers refuse
 * UPDATE and DELETE. WAL journal, {@code synchronous=FULL} (a committed event survives a power cut),
 * a busy timeout of {@value #BUSY_TIMEOUT_MS} ms. Appends take the write lock with
 * {@code BEGIN IMMEDIATE} and read the chain head inside that transaction, so threads and processes
 * sharing one file each extend the true head; a batch is one transaction.
 *
 * <h2>Hash chain (for auditors re-implementing verification)</h2>
 * Events are numbered {@code seq} = 1, 2, 3... without gaps. For each event:
 * <pre>
 * content  = seq "\n" time_ms "\n" actor "\n" kind "\n" subject "\n" outcome "\n" details
 * hash     = lowercase hex( SHA-256( UTF-8( prev_hash "\n" content ) ) )
 * </pre>
 * where {@code seq} and {@code time_ms} (milliseconds since 1970-01-01T00:00:00Z) are written in
 * decimal ASCII without padding, the text fields are the stored column values as UTF-8 (actor, kind,
 * subject and outcome never contain a line feed, so the layout is unambiguous), {@code details} is the
 * stored canonical JSON text exactly as stored (keys sorted, no whitespace; see
 * {@link CanonicalDetails}), and {@code prev_hash} is the previous event's {@code hash}, or the empty
 * string for event 1. {@code time_iso} is a readable copy of {@code time_ms} and is not hashed.
 * Example: event 1 by "alice@laptop" at 0 ms of kind "scan.finished", empty subject, outcome "ok" and
 * details {} hashes {@code "\n1\n0\nalice@laptop\nscan.finished\n\nok\n{}"}.
 *
 * <p>Thread-safe: one writer connection and one reader connection, each used under its own lock
 * (shared with {@link PostgresHistoryStore} through {@link JdbcHistoryStore}).
 */
public final class SqliteHistoryStore extends JdbcHistoryStore {
    static final int BUSY_TIMEOUT_MS = HistoryDatabase.Sqlite.BUSY_TIMEOUT_MS;

    private final Path dbFile;

    private SqliteHistoryStore(HistoryDatabase.Sqlite db, String actor, Clock clock, Connection writer, Connection reader) {
        super(db, actor, clock, writer, reader);
        this.dbFile = db.file();
    }

    /** Opens (creating and migrating if needed) the history in {@code dbFile}; events are recorded as {@code actor}. */
    public static SqliteHistoryStore open(Path dbFile, String actor) throws HistoryException {
        return open(dbFile, actor, Clock.systemUTC());
    }

    /** As {@link #open(Path, String)}, with the clock that stamps events. */
    public static SqliteHistoryStore open(Path dbFile, String actor, Clock clock) throws HistoryException {
        requireActor(actor);
        HistoryDatabase.Sqlite db = new HistoryDatabase.Sqlite(dbFile);
        Path file = db.file();
        if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            throw new HistoryException("cannot open history at " + file + ": the folder " + file.getParent()
                    + " does not exist. Create the workspace first (certops init) or point at an existing one.");
        }
        Connection writer = null;
        try {
            writer = db.connect();
            Migrations.load(Migrations.Dialect.SQLITE).apply(writer, file.toString(), clock);
            return new SqliteHistoryStore(db, actor, clock, writer, db.connect());
        } catch (HistoryException | RuntimeException e) {
            closeQuietly(writer);
            throw e;
        }
    }

    public Path file() { return dbFile; }

    /** BEGIN IMMEDIATE takes SQLite's write lock, so the head read next is the true head for every process. */
    @Override
    ChainWriter.HeadRef begin(Connection c) throws SQLException {
        exec(c, "BEGIN IMMEDIATE");
        return ChainWriter.head(c);
    }

    /** Nothing to add: the caller's BEGIN IMMEDIATE already holds the database's one write lock. */
    @Override
    ChainWriter.HeadRef lockChain(Connection c) throws SQLException { return ChainWriter.head(c); }

    @Override
    void commit(Connection c) throws SQLException { exec(c, "COMMIT"); }

    @Override
    void rollback(Connection c) throws SQLException { exec(c, "ROLLBACK"); }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}

package dev.certops.history;

import dev.certops.startup.StartupTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        Anchors anchors = Anchors.beside(file);
        if (!Files.exists(file) && anchors.any()) {
            throw new HistoryException(AnchoredAudit.missingDatabase(file, anchors) + ". Nothing was changed; `certops audit verify` "
                    + "names what the anchors hold.", file + " is missing while its anchors exist", null);
        }
        Connection writer = null;
        try {
            ownerOnly(file);
            writer = db.connect();
            if (Files.size(file) <= QUICK_CHECK_ON_OPEN_BYTES) {
                Optional<String> damage;
                try (StartupTrace.Phase p = StartupTrace.phase("history: quick_check")) {
                    damage = quickCheck(writer);
                }
                if (damage.isPresent()) {
                    throw new HistoryException("the history at " + file + " is damaged (" + damage.get() + "). Nothing was changed; "
                            + "keep the file as evidence, restore history.db from a backup, and run `certops audit verify`.",
                            file + " is damaged (" + damage.get() + ")", null);
                }
            }
            Migrations.load(Migrations.Dialect.SQLITE).apply(writer, file.toString(), clock);
            ownerOnly(file);
            SqliteHistoryStore store = new SqliteHistoryStore(db, actor, clock, writer, db.connect());
            store.anchorIn(anchors);
            return store;
        } catch (IOException e) {
            closeQuietly(writer);
            throw new HistoryException("cannot open history at " + file + ": " + e.getMessage(), e);
        } catch (HistoryException e) {
            closeQuietly(writer);
            if (!(e instanceof HistoryUnwritableException) && e.getCause() instanceof SQLException sql) {
                // the disk filled up or the file became unwritable: say that, not the SQL error
                long free = usableSpace(file);
                String reason = free >= 0 && free < MIN_FREE_BYTES
                        ? "the disk holding " + file + " is full (" + free / 1024 + " KiB free); free space there"
                        : SqliteFaults.describe(file, sql);
                throw new HistoryUnwritableException(reason, e);
            }
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(writer);
            throw e;
        }
    }

    public Path file() { return dbFile; }

    /** Least free space on the history's disk for a world-changing operation to start (a deploy writes a few KiB). */
    static final long MIN_FREE_BYTES = 1L << 20;
    /** Files up to this size get {@code PRAGMA quick_check} on every open (about 50 ms); larger ones only after an error. */
    static final long QUICK_CHECK_ON_OPEN_BYTES = 64L << 20;

    /**
     * history.db, its WAL and shared-memory files: owner read/write only (0600). Creating the
     * database empty with that mode first makes SQLite create its WAL and SHM files the same way.
     */
    static void ownerOnly(Path file) throws IOException {
        Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(rw));
            } catch (UnsupportedOperationException e) {
                return; // not a POSIX file system
            }
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path f = file.resolveSibling(file.getFileName() + suffix);
            try {
                if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(rw)) Files.setPosixFilePermissions(f, rw);
            } catch (UnsupportedOperationException | IOException e) {
                // a file owned by someone else keeps its mode; the open or the write reports what matters
            }
        }
    }

    /** Empty when SQLite's quick integrity check passes, else what it found. */
    static Optional<String> quickCheck(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            List<String> found = new ArrayList<>();
            while (rs.next() && found.size() < 3) found.add(rs.getString(1));
            return found.equals(List.of("ok")) ? Optional.empty() : Optional.of("integrity check: " + String.join("; ", found));
        } catch (SQLException e) {
            return Optional.of("integrity check: " + e.getMessage());
        }
    }

    private static long usableSpace(Path f) {
        try {
            return Files.getFileStore(f).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    String reasonFor(SQLException e) { return SqliteFaults.describe(dbFile, e); }

    @Override
    String afterWriteError() {
        try (Connection c = database().connect()) {
            return quickCheck(c).map(d -> "; the database is damaged (" + d + ")").orElse("");
        } catch (HistoryException | SQLException e) {
            return "";
        }
    }

    @Override
    public void checkWritable() throws HistoryUnwritableException {
        Path dir = dbFile.getParent();
        if (!Files.isWritable(dbFile) || (dir != null && !Files.isWritable(dir))) {
            throw new HistoryUnwritableException((Files.isWritable(dbFile) ? "its folder " + dir : dbFile.toString())
                    + " is not writable by this user; make it writable (chmod, chattr -i, a read-write mount)", null);
        }
        try {
            long free = Files.getFileStore(dbFile).getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                throw new HistoryUnwritableException("the disk holding " + dbFile + " is full (" + free / 1024
                        + " KiB free, at least " + MIN_FREE_BYTES / 1024 + " KiB needed); free space there", null);
            }
        } catch (IOException e) {
            throw new HistoryUnwritableException("cannot tell the free space of the disk holding " + dbFile + ": " + e.getMessage(), e);
        }
        try (Connection c = database().connect()) {
            Optional<String> damage = size(dbFile) <= QUICK_CHECK_ON_OPEN_BYTES ? quickCheck(c) : Optional.empty();
            if (damage.isPresent()) throw new HistoryUnwritableException(dbFile + " is damaged (" + damage.get() + "); restore it from a backup", null);
        } catch (HistoryException e) {
            throw new HistoryUnwritableException(e.reason(), e);
        } catch (SQLException e) {
            throw new HistoryUnwritableException(reasonFor(e), e);
        }
        super.checkWritable();
    }

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

package dev.certops.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

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
 * <p>Thread-safe: one writer connection and one reader connection, each used under its own lock.
 */
public final class SqliteHistoryStore implements HistoryStore {
    static final int BUSY_TIMEOUT_MS = 30_000;
    private static final String INSERT = "INSERT INTO events (seq, time_ms, time_iso, actor, kind, subject, outcome, "
            + "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Path dbFile;
    private final String actor;
    private final Clock clock;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ChainHasher hasher = new ChainHasher();
    private volatile boolean closed;

    private SqliteHistoryStore(Path dbFile, String actor, Clock clock, Connection writer, Connection reader) {
        this.dbFile = dbFile;
        this.actor = actor;
        this.clock = clock;
        this.writer = writer;
        this.reader = reader;
    }

    /** Opens (creating and migrating if needed) the history in {@code dbFile}; events are recorded as {@code actor}. */
    public static SqliteHistoryStore open(Path dbFile, String actor) throws HistoryException {
        return open(dbFile, actor, Clock.systemUTC());
    }

    /** As {@link #open(Path, String)}, with the clock that stamps events. */
    public static SqliteHistoryStore open(Path dbFile, String actor, Clock clock) throws HistoryException {
        if (actor == null || actor.isBlank() || actor.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the history actor must be a non-blank single line such as user@machine");
        }
        Path file = dbFile.toAbsolutePath();
        if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            throw new HistoryException("cannot open history at " + file + ": the folder " + file.getParent()
                    + " does not exist. Create the workspace first (certops init) or point at an existing one.");
        }
        Connection writer = null;
        try {
            writer = connect(file);
            Migrations.load(Migrations.Dialect.SQLITE).apply(writer, file.toString(), clock);
            return new SqliteHistoryStore(file, actor, clock, writer, connect(file));
        } catch (SQLException e) {
            closeQuietly(writer);
            throw new HistoryException("cannot open history at " + file + ": " + e.getMessage()
                    + ". Check that the file is a certops history database and is readable and writable.", e);
        } catch (HistoryException | RuntimeException e) {
            closeQuietly(writer);
            throw e;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setCacheSize(-16_384); // KiB: keeps the three indexes' hot pages in memory for batch appends
        return config.createConnection("jdbc:sqlite:" + file);
    }

    public Path file() { return dbFile; }

    public String actor() { return actor; }

    @Override
    public HistoryEvent append(NewEvent event) throws HistoryException {
        return appendAll(List.of(event)).get(0);
    }

    @Override
    public List<HistoryEvent> appendAll(List<NewEvent> events) throws HistoryException {
        List<String> details = new ArrayList<>(events.size());
        for (NewEvent e : events) {
            requireSingleLine(e);
            details.add(CanonicalDetails.of(e));
        }
        if (events.isEmpty()) {
            return List.of();
        }
        writeLock.lock();
        try (Statement st = open(writer).createStatement()) {
            st.executeUpdate("BEGIN IMMEDIATE");
            try {
                List<HistoryEvent> stored = insert(events, details);
                st.executeUpdate("COMMIT");
                return stored;
            } catch (SQLException | RuntimeException e) {
                try {
                    st.executeUpdate("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new HistoryException("could not append to the history at " + dbFile + ": " + e.getMessage()
                    + ". Nothing of this batch was recorded; check free disk space, file permissions, and that no other "
                    + "process holds the history locked.", e);
        } finally {
            writeLock.unlock();
        }
    }

    private List<HistoryEvent> insert(List<NewEvent> events, List<String> details) throws SQLException {
        long seq = 0;
        String prevHash = "";
        try (Statement st = writer.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                seq = rs.getLong(1);
                prevHash = rs.getString(2);
            }
        }
        List<HistoryEvent> stored = new ArrayList<>(events.size());
        long isoMillis = Long.MIN_VALUE;
        String iso = "";
        try (PreparedStatement ps = writer.prepareStatement(INSERT)) {
            for (int i = 0; i < events.size(); i++) {
                NewEvent e = events.get(i);
                seq++;
                Instant time = Instant.ofEpochMilli(clock.millis());
                String hash = hasher.hash(prevHash, seq, time.toEpochMilli(), actor, e.kind(), e.subject(), e.outcome(),
                        details.get(i));
                ps.setLong(1, seq);
                ps.setLong(2, time.toEpochMilli());
                if (time.toEpochMilli() != isoMillis) { // a batch mostly shares one millisecond: format it once
                    isoMillis = time.toEpochMilli();
                    iso = EventRows.ISO_MILLIS.format(time);
                }
                ps.setString(3, iso);
                ps.setString(4, actor);
                ps.setString(5, e.kind());
                ps.setString(6, e.subject());
                ps.setString(7, e.outcome());
                ps.setString(8, details.get(i));
                ps.setString(9, prevHash);
                ps.setString(10, hash);
                ps.addBatch();
                stored.add(new HistoryEvent(seq, time, actor, e.kind(), e.subject(), e.outcome(), details.get(i),
                        prevHash, hash));
                prevHash = hash;
            }
            ps.executeBatch();
        }
        return stored;
    }

    private static void requireSingleLine(NewEvent e) {
        if (e.kind().isBlank() || e.kind().indexOf('\n') >= 0 || e.subject().indexOf('\n') >= 0
                || e.outcome().indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a history event needs a non-blank kind, and kind, subject and outcome "
                    + "on a single line (got kind '" + e.kind().lines().findFirst().orElse("") + "'); "
                    + "put multi-line text in details");
        }
    }

    @Override
    public List<HistoryEvent> query(EventQuery query) throws HistoryException {
        List<HistoryEvent> out = new ArrayList<>();
        forEach(query, out::add);
        return out;
    }

    /** Streams matching events; the consumer runs while the read connection is held, so keep it short. */
    @Override
    public void forEach(EventQuery query, Consumer<HistoryEvent> consumer) throws HistoryException {
        readLock.lock();
        try (PreparedStatement ps = EventRows.select(open(reader), query); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                consumer.accept(EventRows.read(rs));
            }
        } catch (SQLException e) {
            throw readFailed(e);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public Optional<HistoryEvent> head() throws HistoryException {
        readLock.lock();
        try (Statement st = open(reader).createStatement();
             ResultSet rs = st.executeQuery("SELECT " + EventRows.COLUMNS + " FROM events ORDER BY seq DESC LIMIT 1")) {
            return rs.next() ? Optional.of(EventRows.read(rs)) : Optional.empty();
        } catch (SQLException e) {
            throw readFailed(e);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public long count() throws HistoryException {
        readLock.lock();
        try (Statement st = open(reader).createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw readFailed(e);
        } finally {
            readLock.unlock();
        }
    }

    /** Walks the chain as of the start of the call (a consistent snapshot; appends may go on meanwhile). */
    @Override
    public AuditResult verify() throws HistoryException {
        readLock.lock();
        try {
            return ChainVerifier.verify(open(reader));
        } catch (SQLException e) {
            throw readFailed(e);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void close() throws HistoryException {
        writeLock.lock();
        readLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            reader.close();
            writer.close();
        } catch (SQLException e) {
            throw new HistoryException("could not close the history at " + dbFile + ": " + e.getMessage(), e);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private Connection open(Connection c) throws HistoryException {
        if (closed) {
            throw new HistoryException("the history at " + dbFile + " was closed; open it again to use it");
        }
        return c;
    }

    private HistoryException readFailed(SQLException e) {
        return new HistoryException("could not read the history at " + dbFile + ": " + e.getMessage()
                + ". Check that the file is readable and is a certops history database.", e);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing; the original error is the one to report
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteHistoryStore[" + dbFile + ", actor=" + actor + "]";
    }
}

package dev.certops.history;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What every SQL history shares: one writer and one reader connection, each under its own lock;
 * appends in one transaction that first takes the dialect's chain-head lock ({@link #begin}); reads,
 * verify and health through the same SQL ({@link EventRows}, {@link ChainVerifier}). The dialects
 * differ only in how a transaction starts and ends and in how connections are made
 * ({@link HistoryDatabase}). A connection the server dropped is re-made on next use.
 */
public abstract sealed class JdbcHistoryStore implements HistoryStore permits SqliteHistoryStore, PostgresHistoryStore {
    private final HistoryDatabase db;
    private final String actor;
    private final Clock clock;
    private Connection writer;
    private Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ChainHasher hasher = new ChainHasher();
    private volatile boolean closed;
    private volatile EventSigner signer;
    private volatile Anchors anchors;

    JdbcHistoryStore(HistoryDatabase db, String actor, Clock clock, Connection writer, Connection reader) {
        this.db = db;
        this.actor = actor;
        this.clock = clock;
        this.writer = writer;
        this.reader = reader;
    }

    static void requireActor(String actor) {
        if (actor == null || actor.isBlank() || actor.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the history actor must be a non-blank single line such as user@machine");
        }
    }

    /** Starts the append transaction on the writer, takes the chain-head lock and reads the head under it. */
    abstract ChainWriter.HeadRef begin(Connection c) throws SQLException;

    /**
     * Takes the chain-head lock inside a transaction the caller already started (see {@link #appendWithin})
     * and reads the head under it.
     */
    abstract ChainWriter.HeadRef lockChain(Connection c) throws SQLException;

    abstract void commit(Connection c) throws SQLException;

    abstract void rollback(Connection c) throws SQLException;

    /** Prepares a fresh connection for writing (auto-commit, session settings). */
    void prepareWriter(Connection c) throws SQLException { }

    public HistoryDatabase database() { return db; }

    public String actor() { return actor; }

    /**
     * From now on, every event this store appends is signed by {@code signer} in the same transaction
     * (team mode: see {@code dev.certops.team}); null stops signing.
     */
    public void signWith(EventSigner signer) { this.signer = signer; }

    /** Whether this store signs what it appends. */
    public boolean signing() { return signer != null; }

    /**
     * Every event after {@code afterSeq} whose kind starts with {@code kindPrefix} ("" for all), with its
     * signature (null when unsigned), in chain order.
     */
    public void forEachSigned(long afterSeq, String kindPrefix, BiConsumer<HistoryEvent, String> consumer)
            throws HistoryException {
        reading(c -> {
            EventSignatures.forEach(c, afterSeq, kindPrefix, consumer);
            return null;
        });
    }

    @Override
    public HistoryEvent append(NewEvent event) throws HistoryException {
        return appendAll(List.of(event)).get(0);
    }

    @Override
    public List<HistoryEvent> appendAll(List<NewEvent> raw) throws HistoryException {
        List<NewEvent> events = ChainWriter.scrubbed(raw);
        List<String> details = ChainWriter.prepare(events);
        if (events.isEmpty()) {
            return List.of();
        }
        writeLock.lock();
        try {
            Connection c = writer();
            try {
                ChainWriter.HeadRef head = begin(c);
                List<HistoryEvent> stored = ChainWriter.insert(c, head, hasher, clock, actor, events, details);
                EventSignatures.insert(c, stored, signer);
                commit(c);
                afterAppend(stored.get(stored.size() - 1));
                return stored;
            } catch (SQLException | RuntimeException e) {
                try {
                    rollback(c);
                } catch (SQLException rb) {
                    e.addSuppressed(rb);
                }
                throw e;
            }
        } catch (SQLException e) {
            String reason = reasonFor(e) + afterWriteError();
            throw new HistoryException("could not append to the history at " + db.where() + ": " + reason
                    + ". Nothing of this batch was recorded; check that the database is reachable and writable (disk "
                    + "space, permissions) and that no other process holds the history locked.", reason, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Keeps this chain's head outside the database, in {@code anchors} (rewritten after every append; signed
     * checkpoints at the end of each command): SQLite beside its file, team mode in the console's workspace.
     */
    public void anchorIn(Anchors anchors) { this.anchors = anchors; }

    /** Where this chain's head is anchored outside the database, if anywhere. */
    public Optional<Anchors> anchors() { return Optional.ofNullable(anchors); }

    /** Called after a batch committed, with its last event: the head anchor is rewritten. */
    void afterAppend(HistoryEvent newest) {
        Anchors a = anchors;
        if (a == null) return;
        try {
            a.writeHead(new Anchors.Head(newest.seq(), newest.hash()));
        } catch (IOException e) {
            // the event is committed; the witness is rewritten on the next append and checked by audit verify
        }
    }

    /** The short cause of a failed statement, in words. */
    String reasonFor(SQLException e) { return e.getMessage(); }

    /** Run after a failed write: what an integrity check then says ("" when nothing more is known). */
    String afterWriteError() { return ""; }

    /**
     * Refuses (with {@link HistoryUnwritableException}) when an event could not be recorded right now:
     * the database does not answer, or (SQLite) the file or its folder is not writable, the disk is
     * nearly full, or the integrity check fails. Called before an operation changes anything.
     */
    @Override
    public void checkWritable() throws HistoryUnwritableException {
        HistoryHealth h = health();
        if (!h.reachable()) {
            throw new HistoryUnwritableException(db.where() + " does not answer (" + h.problem().orElse("") + ")", null);
        }
    }

    /**
     * Appends events exactly as stored elsewhere (same seq, time, actor, hashes), with their signatures
     * in the same transaction, for history migrate (no rows: only signatures an earlier copy lacks). Refuses when the head is no longer {@code expectedHeadSeq} (someone appended meanwhile).
     */
    void appendVerbatim(List<HistoryEvent> rows, long expectedHeadSeq, Map<Long, String> signatures) throws HistoryException {
        writeLock.lock();
        try {
            Connection c = writer();
            try {
                long head = begin(c).seq();
                if (head != expectedHeadSeq) {
                    throw new HistoryConflictException("the history at " + db.where() + " changed while copying into it "
                            + "(its newest event is now " + head + ", expected " + expectedHeadSeq + "); nothing more was copied. "
                            + "Stop the consoles writing to it and run the migration again.");
                }
                ChainWriter.insertVerbatim(c, rows);
                EventSignatures.insertVerbatim(c, signatures);
                commit(c);
            } catch (SQLException | HistoryException | RuntimeException e) {
                try {
                    rollback(c);
                } catch (SQLException rb) {
                    e.addSuppressed(rb);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new HistoryException("could not copy events into the history at " + db.where() + ": " + e.getMessage()
                    + ". Nothing of this batch was recorded.", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** The signatures of events {@code afterSeq < seq <= upToSeq}, by seq (history migrate). */
    Map<Long, String> signatures(long afterSeq, long upToSeq) throws HistoryException {
        return reading(c -> EventSignatures.between(c, afterSeq, upToSeq));
    }

    /**
     * Appends events inside the caller's open transaction on {@code c}, a connection to this store's
     * database (e.g. leases: the lease row and its event commit together or not at all). Takes the
     * chain-head lock in that transaction; the caller commits or rolls back. Events are recorded as
     * this store's actor.
     */
    public List<HistoryEvent> appendWithin(Connection c, List<NewEvent> raw) throws SQLException {
        List<NewEvent> events = ChainWriter.scrubbed(raw);
        List<String> details = ChainWriter.prepare(events);
        if (events.isEmpty()) {
            return List.of();
        }
        List<HistoryEvent> stored = ChainWriter.insert(c, lockChain(c), new ChainHasher(), clock, actor, events, details);
        EventSignatures.insert(c, stored, signer);
        return stored;
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
        streaming(c -> EventRows.select(c, query), consumer);
    }

    @Override
    public void forEachLatestPerSubject(String kind, Consumer<HistoryEvent> consumer) throws HistoryException {
        streaming(c -> EventRows.latestPerSubject(c, kind), consumer);
    }

    /** Each event the statement selects, to the consumer, while the read connection is held. */
    private void streaming(Statements select, Consumer<HistoryEvent> consumer) throws HistoryException {
        reading(c -> {
            try (PreparedStatement ps = select.on(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(EventRows.read(rs));
                }
            }
            return null;
        });
    }

    private interface Statements { PreparedStatement on(Connection reader) throws SQLException; }

    @Override
    public Optional<HistoryEvent> head() throws HistoryException {
        return reading(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + EventRows.COLUMNS + " FROM events ORDER BY seq DESC LIMIT 1")) {
                return rs.next() ? Optional.of(EventRows.read(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public long count() throws HistoryException {
        return reading(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private interface Read<T> { T on(Connection reader) throws SQLException, HistoryException; }

    /** One read on the reader connection, under the read lock; an SQL failure says the history could not be read. */
    private <T> T reading(Read<T> read) throws HistoryException {
        readLock.lock();
        try {
            return read.on(reader());
        } catch (SQLException e) {
            throw readFailed(e);
        } finally {
            readLock.unlock();
        }
    }

    /** Walks the chain as of the start of the call (a consistent snapshot; appends may go on meanwhile). */
    @Override
    public AuditResult verify() throws HistoryException {
        return reading(c -> {
            boolean auto = c.getAutoCommit();
            if (auto && db instanceof HistoryDatabase.Postgres) {
                c.setAutoCommit(false); // pgjdbc streams (fetch size) only inside a transaction
            }
            try {
                return ChainVerifier.verify(c);
            } finally {
                if (auto && !c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        });
    }

    @Override
    public HistoryHealth health() {
        readLock.lock();
        try (Statement st = reader().createStatement(); ResultSet rs = st.executeQuery("SELECT max(seq) FROM events")) {
            rs.next();
            return HistoryHealth.reachable(db.where(), rs.getLong(1));
        } catch (SQLException | HistoryException e) {
            return HistoryHealth.unreachable(db.where(), e.getMessage());
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
            throw new HistoryException("could not close the history at " + db.where() + ": " + e.getMessage(), e);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private Connection writer() throws HistoryException, SQLException {
        checkOpen();
        if (writer.isClosed()) {
            writer = db.connect();
            prepareWriter(writer);
        }
        return writer;
    }

    private Connection reader() throws HistoryException, SQLException {
        checkOpen();
        if (reader.isClosed()) {
            reader = db.connect();
        }
        return reader;
    }

    private void checkOpen() throws HistoryException {
        if (closed) {
            throw new HistoryException("the history at " + db.where() + " was closed; open it again to use it");
        }
    }

    private HistoryException readFailed(SQLException e) {
        String reason = reasonFor(e);
        return new HistoryException("could not read the history at " + db.where() + ": " + reason
                + ". Check that the database is reachable and is a certops history.", reason, e);
    }

    static void closeQuietly(Connection c) {
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
        return getClass().getSimpleName() + "[" + db.where() + ", actor=" + actor + "]";
    }
}

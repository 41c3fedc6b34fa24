package dev.certops.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/**
 * History in a shared PostgreSQL database (team mode): the same schema, hash chain and semantics as
 * {@link SqliteHistoryStore} (scripts in {@code db/migration/postgresql/}, append-only triggers that
 * also refuse TRUNCATE), shared by every console of a team.
 *
 * <p><b>One chain, many writers.</b> An append is one transaction that first takes the transaction
 * advisory lock {@link #CHAIN_LOCK} ({@code pg_advisory_xact_lock}), then reads the head and extends
 * it; in READ COMMITTED the head read after the lock sees every chain extension committed before it,
 * so writers on any machine serialize on the head and {@code audit verify} holds. The lock is released
 * by the commit or rollback, also when the client dies (the server ends its session).
 *
 * <p>Every insert NOTIFYs channel {@code certops_events} with the new seq (see {@link EventFeed}).
 */
public final class PostgresHistoryStore extends JdbcHistoryStore {
    /** The advisory lock key that serializes chain appends (ASCII "certops" as a number). */
    public static final long CHAIN_LOCK = 0x63657274_6f7073L;

    private PostgresHistoryStore(HistoryDatabase.Postgres db, String actor, Clock clock, Connection writer,
                                 Connection reader) {
        super(db, actor, clock, writer, reader);
    }

    /**
     * Connects, creates or upgrades the schema, and returns the store. Fails with a
     * {@link HistoryException} naming the URL (never the password) and the cause when the server is
     * unreachable, refuses the login or refuses TLS; nothing is written anywhere else instead.
     */
    public static PostgresHistoryStore open(HistoryDatabase.Postgres db, String actor, Clock clock)
            throws HistoryException {
        requireActor(actor);
        Connection writer = null;
        try {
            writer = db.connect();
            Migrations.load(Migrations.Dialect.POSTGRESQL).apply(writer, db.where(), clock);
            prepare(writer);
            return new PostgresHistoryStore(db, actor, clock, writer, db.connect());
        } catch (SQLException e) {
            closeQuietly(writer);
            throw new HistoryException("cannot open the shared history at " + db.where() + ": " + e.getMessage(), e);
        } catch (HistoryException | RuntimeException e) {
            closeQuietly(writer);
            throw e;
        }
    }

    private static void prepare(Connection c) throws SQLException {
        c.setAutoCommit(false);
    }

    @Override
    void prepareWriter(Connection c) throws SQLException { prepare(c); }

    @Override
    ChainWriter.HeadRef begin(Connection c) throws SQLException { return lockChain(c); }

    /**
     * Two statements in one round trip: the lock, then the head. Each statement of READ COMMITTED takes
     * its own snapshot, so the head is read after the lock is granted and sees every earlier append.
     */
    @Override
    ChainWriter.HeadRef lockChain(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(LOCK_AND_HEAD);
            if (!st.getMoreResults()) {
                throw new SQLException("the chain head query returned no result");
            }
            try (ResultSet rs = st.getResultSet()) {
                return rs.next() ? new ChainWriter.HeadRef(rs.getLong(1), rs.getString(2)) : new ChainWriter.HeadRef(0, "");
            }
        }
    }

    private static final String LOCK_AND_HEAD = "SELECT pg_advisory_xact_lock(" + CHAIN_LOCK + "); "
            + "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1";

    @Override
    void commit(Connection c) throws SQLException { c.commit(); }

    @Override
    void rollback(Connection c) throws SQLException { c.rollback(); }
}

package dev.certops.history;

import dev.certops.crypto.Redactor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Extends the chain inside the caller's transaction, which must already hold the chain-head lock
 * (SQLite: BEGIN IMMEDIATE; PostgreSQL: the chain advisory lock). Shared by every dialect so the
 * hash format lives in one place ({@link ChainHasher}).
 */
final class ChainWriter {
    static final String INSERT = "INSERT INTO events (seq, time_ms, time_iso, actor, kind, subject, outcome, "
            + "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private ChainWriter() { }

    /** The events with every secret value this process loaded replaced (subject, outcome, details at any depth). */
    static List<NewEvent> scrubbed(List<NewEvent> events) {
        Redactor r = Redactor.global();
        if (r.isEmpty()) return events;
        List<NewEvent> out = new ArrayList<>(events.size());
        for (NewEvent e : events) out.add(new NewEvent(e.kind(), r.scrub(e.subject()), r.scrub(e.outcome()), r.scrub(e.details())));
        return out;
    }

    /** Checks the events and returns their canonical details (refusing secrets) before anything is written. */
    static List<String> prepare(List<NewEvent> events) {
        List<String> details = new ArrayList<>(events.size());
        for (NewEvent e : events) {
            if (e.kind().isBlank() || e.kind().indexOf('\n') >= 0 || e.subject().indexOf('\n') >= 0
                    || e.outcome().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a history event needs a non-blank kind, and kind, subject and outcome "
                        + "on a single line (got kind '" + e.kind().lines().findFirst().orElse("") + "'); "
                        + "put multi-line text in details");
            }
            details.add(CanonicalDetails.of(e));
        }
        return details;
    }

    /** The head's seq and hash (0 and "" for an empty chain). */
    static HeadRef head(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")) {
            return rs.next() ? new HeadRef(rs.getLong(1), rs.getString(2)) : new HeadRef(0, "");
        }
    }

    record HeadRef(long seq, String hash) { }

    /** Inserts after {@code head}, which the caller read under the chain-head lock in this transaction. */
    static List<HistoryEvent> insert(Connection c, HeadRef head, ChainHasher hasher, Clock clock, String actor,
                                     List<NewEvent> events, List<String> details) throws SQLException {
        long seq = head.seq();
        String prevHash = head.hash();
        List<HistoryEvent> stored = new ArrayList<>(events.size());
        long isoMillis = Long.MIN_VALUE;
        String iso = "";
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int i = 0; i < events.size(); i++) {
                NewEvent e = events.get(i);
                seq++;
                Instant time = Instant.ofEpochMilli(clock.millis());
                String hash = hasher.hash(prevHash, seq, time.toEpochMilli(), actor, e.kind(), e.subject(), e.outcome(),
                        details.get(i));
                if (time.toEpochMilli() != isoMillis) { // a batch mostly shares one millisecond: format it once
                    isoMillis = time.toEpochMilli();
                    iso = EventRows.ISO_MILLIS.format(time);
                }
                HistoryEvent row = new HistoryEvent(seq, time, actor, e.kind(), e.subject(), e.outcome(), details.get(i),
                        prevHash, hash);
                bind(ps, row, iso);
                ps.addBatch();
                stored.add(row);
                prevHash = hash;
            }
            ps.executeBatch();
        }
        return stored;
    }

    /** Inserts events exactly as they were stored elsewhere (history migrate): same seq, time, hashes. */
    static void insertVerbatim(Connection c, List<HistoryEvent> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (HistoryEvent row : rows) {
                bind(ps, row, EventRows.ISO_MILLIS.format(row.time()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, HistoryEvent e, String iso) throws SQLException {
        ps.setLong(1, e.seq());
        ps.setLong(2, e.time().toEpochMilli());
        ps.setString(3, iso);
        ps.setString(4, e.actor());
        ps.setString(5, e.kind());
        ps.setString(6, e.subject());
        ps.setString(7, e.outcome());
        ps.setString(8, e.details());
        ps.setString(9, e.prevHash());
        ps.setString(10, e.hash());
    }
}

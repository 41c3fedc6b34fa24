package dev.certops.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/** SQL for reading events: the query filter as a prepared statement, and a row as a {@link HistoryEvent}. */
final class EventRows {
    static final String COLUMNS = "seq, time_ms, actor, kind, subject, outcome, details, prev_hash, hash";

    /** The stored, human-readable time: always millisecond precision, UTC, so it sorts as text. */
    static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EventRows() { }

    /**
     * A statement selecting the events that match, ascending by seq. {@code since} is inclusive,
     * {@code until} exclusive; a kind prefix uses the (kind, time) index.
     */
    static PreparedStatement select(Connection c, EventQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM events WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(q.afterSeq());
        q.since().ifPresent(t -> { sql.append(" AND time_ms >= ?"); args.add(t.toEpochMilli()); });
        q.until().ifPresent(t -> { sql.append(" AND time_ms < ?"); args.add(t.toEpochMilli()); });
        q.kindPrefix().filter(p -> !p.isEmpty()).ifPresent(p -> {
            char last = p.charAt(p.length() - 1);
            if (last < Character.MIN_SURROGATE - 1) { // a range the index can serve
                sql.append(" AND kind >= ? AND kind < ?");
                args.add(p);
                args.add(p.substring(0, p.length() - 1) + (char) (last + 1));
            } else {
                sql.append(" AND substr(kind, 1, length(?)) = ?");
                args.add(p);
                args.add(p);
            }
        });
        if (!q.kinds().isEmpty()) {
            sql.append(" AND kind IN (").append(String.join(", ", Collections.nCopies(q.kinds().size(), "?"))).append(')');
            args.addAll(new TreeSet<>(q.kinds()));
        }
        q.subject().ifPresent(s -> { sql.append(" AND subject = ?"); args.add(s); });
        sql.append(" ORDER BY seq");
        if (q.limit() > 0) {
            sql.append(" LIMIT ?");
            args.add(q.limit());
        }
        PreparedStatement ps = c.prepareStatement(sql.toString());
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }

    /** The newest event of {@code kind} per subject, ascending by seq (the (kind, time) index finds the kind's events). */
    static PreparedStatement latestPerSubject(Connection c, String kind) throws SQLException {
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM events WHERE seq IN "
                + "(SELECT max(seq) FROM events WHERE kind = ? GROUP BY subject) ORDER BY seq");
        ps.setString(1, kind);
        return ps;
    }

    static HistoryEvent read(ResultSet rs) throws SQLException {
        return new HistoryEvent(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }
}

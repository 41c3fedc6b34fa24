package dev.certops.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code event_signatures} table: one signature per signed event, written in the append's
 * transaction, read beside the events for the audit and for approvals.
 */
final class EventSignatures {
    private static final Logger LOG = LoggerFactory.getLogger(EventSignatures.class);

    private EventSignatures() { }

    /** Signs the stored events with {@code signer} and inserts the signatures (inside the caller's transaction). */
    static void insert(Connection c, List<HistoryEvent> stored, EventSigner signer) throws SQLException {
        if (signer == null || stored.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_signatures (seq, signature) VALUES (?, ?)")) {
            for (HistoryEvent e : stored) {
                String sig;
                try {
                    sig = signer.sign(e.hash());
                } catch (Exception ex) {
                    // the event itself must not be lost (the world may already have changed): recorded unsigned, named by the audit
                    LOG.warn("event {} ({}) is recorded without a signature: {}", e.seq(), e.kind(), ex.getMessage());
                    continue;
                }
                ps.setLong(1, e.seq());
                ps.setString(2, sig);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Every event after {@code afterSeq} of a kind starting with {@code kindPrefix}, with its signature (null when unsigned). */
    static void forEach(Connection c, long afterSeq, String kindPrefix, BiConsumer<HistoryEvent, String> consumer) throws SQLException {
        String cols = EventRows.COLUMNS.replaceAll("(^|,\\s*)(\\w+)", "$1e.$2");
        try (PreparedStatement st = c.prepareStatement("SELECT " + cols + ", s.signature FROM events e LEFT JOIN event_signatures s "
                + "ON s.seq = e.seq WHERE e.seq > ? AND substr(e.kind, 1, ?) = ? ORDER BY e.seq")) {
            st.setFetchSize(2_000);
            st.setLong(1, afterSeq);
            st.setInt(2, kindPrefix.length());
            st.setString(3, kindPrefix);
            try (ResultSet rs = st.executeQuery()) {
                int sigColumn = rs.getMetaData().getColumnCount();
                while (rs.next()) consumer.accept(EventRows.read(rs), rs.getString(sigColumn));
            }
        }
    }

    /** The signatures of events {@code afterSeq < seq <= upToSeq}, by seq (history migrate). */
    static Map<Long, String> between(Connection c, long afterSeq, long upToSeq) throws SQLException {
        Map<Long, String> out = new TreeMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT seq, signature FROM event_signatures WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            st.setFetchSize(2_000);
            st.setLong(1, afterSeq);
            st.setLong(2, upToSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Inserts signatures exactly as stored elsewhere (history migrate; inside the caller's transaction). */
    static void insertVerbatim(Connection c, Map<Long, String> signatures) throws SQLException {
        if (signatures.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_signatures (seq, signature) VALUES (?, ?)")) {
            for (Map.Entry<Long, String> e : signatures.entrySet()) {
                ps.setLong(1, e.getKey());
                ps.setString(2, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}

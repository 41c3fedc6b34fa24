package dev.certops.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Walks the chain in seq order with a forward-only cursor and reports the first event that does not
 * verify. Hashes the stored bytes as they are (no JSON parsing), reusing one digest.
 *
 * <p>Checks per event, in this order: its seq follows the previous one (a gap means deleted events);
 * its prev_hash equals the previous event's stored hash (else it was moved, or the one before it was
 * rewritten with a recomputed hash); its own hash matches its content (else it was edited).
 */
final class ChainVerifier {
    private static final byte[] EMPTY = new byte[0];

    private ChainVerifier() { }

    static AuditResult verify(Connection c) throws SQLException {
        ChainHasher hasher = new ChainHasher();
        long checked = 0;
        long prevSeq = 0;
        byte[] prevHash = EMPTY;
        try (Statement st = c.createStatement()) {
            st.setFetchSize(2_000); // PostgreSQL: stream the chain instead of loading it whole
            try (ResultSet rs = st.executeQuery("SELECT " + EventRows.COLUMNS + " FROM events ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                if (seq != prevSeq + 1) {
                    return AuditResult.broken(checked, prevSeq + 1, prevSeq == 0
                            ? "event 1 is missing: the chain starts at seq " + seq
                            : "event " + (prevSeq + 1) + " is missing: seq jumps from " + prevSeq + " to " + seq);
                }
                byte[] storedPrev = orEmpty(rs.getBytes(8));
                if (!Arrays.equals(storedPrev, prevHash)) {
                    return AuditResult.broken(checked, seq, seq == 1
                            ? "event 1 does not start the chain: its prev_hash is not empty"
                            : "event " + seq + " does not follow event " + prevSeq + ": its prev_hash does not match");
                }
                byte[] stored = orEmpty(rs.getBytes(9));
                byte[] computed = hasher.hashHex(storedPrev, seq, rs.getLong(2), rs.getBytes(3), rs.getBytes(4),
                        rs.getBytes(5), rs.getBytes(6), rs.getBytes(7));
                if (!Arrays.equals(stored, computed)) {
                    return AuditResult.broken(checked, seq, "event " + seq + " was changed after it was recorded");
                }
                checked++;
                prevSeq = seq;
                prevHash = stored;
            }
            }
        }
        return AuditResult.valid(checked);
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? EMPTY : b;
    }
}

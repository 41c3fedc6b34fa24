package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a determined editor does to the file, and how verify() names the first broken event. */
class ChainTamperTest {
    @TempDir Path dir;
    private SqliteHistoryStore store;
    private Path db;

    @BeforeEach
    void tenEvents() throws Exception {
        db = dir.resolve("history.db");
        store = SqliteHistoryStore.open(db, "alice@laptop");
        for (int i = 1; i <= 10; i++) {
            store.append(new NewEvent(EventKinds.DEPLOY_STEP, "www", "ok", Map.of("host", "web" + i)));
        }
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void untouchedChainVerifies() throws Exception {
        assertThat(store.verify()).isEqualTo(AuditResult.valid(10));
    }

    @Test
    void updateOfARecordedEventIsRefusedByTheDatabase() {
        assertThatThrownBy(() -> raw("UPDATE events SET outcome = 'failed' WHERE seq = 3"))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
    }

    @Test
    void deleteOfARecordedEventIsRefusedByTheDatabase() {
        assertThatThrownBy(() -> raw("DELETE FROM events WHERE seq = 3"))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
    }

    @Test
    void editedDetailsAreNamedAsChanged() throws Exception {
        raw("DROP TRIGGER events_no_update", "UPDATE events SET details = '{\"host\":\"evil\"}' WHERE seq = 4");

        assertThat(store.verify()).isEqualTo(AuditResult.broken(3, 4, "event 4 was changed after it was recorded"));
    }

    @Test
    void editedTimeIsNamedAsChanged() throws Exception {
        raw("DROP TRIGGER events_no_update", "UPDATE events SET time_ms = time_ms - 3600000 WHERE seq = 7");

        assertThat(store.verify()).isEqualTo(AuditResult.broken(6, 7, "event 7 was changed after it was recorded"));
    }

    @Test
    void deletedEventIsNamedAsMissing() throws Exception {
        raw("DROP TRIGGER events_no_delete", "DELETE FROM events WHERE seq = 5");

        assertThat(store.verify()).isEqualTo(AuditResult.broken(4, 5, "event 5 is missing: seq jumps from 4 to 6"));
    }

    @Test
    void deletedFirstEventIsNamedAsMissing() throws Exception {
        raw("DROP TRIGGER events_no_delete", "DELETE FROM events WHERE seq = 1");

        assertThat(store.verify()).isEqualTo(AuditResult.broken(0, 1, "event 1 is missing: the chain starts at seq 2"));
    }

    @Test
    void swappedEventsAreNamedAsNotFollowing() throws Exception {
        raw("DROP TRIGGER events_no_update", "UPDATE events SET seq = -5 WHERE seq = 5",
                "UPDATE events SET seq = 5 WHERE seq = 6", "UPDATE events SET seq = 6 WHERE seq = -5");

        assertThat(store.verify()).isEqualTo(
                AuditResult.broken(4, 5, "event 5 does not follow event 4: its prev_hash does not match"));
    }

    @Test
    void editWithRecomputedHashIsCaughtAtTheNextEventsLink() throws Exception {
        // a determined editor changes event 5 and gives it a correct new hash, but does not rewrite what follows
        String prev = column(4, "hash");
        long time = Long.parseLong(column(5, "time_ms"));
        String forged = new ChainHasher().hash(prev, 5, time, "alice@laptop", EventKinds.DEPLOY_STEP, "www", "ok",
                "{\"host\":\"evil\"}");
        raw("DROP TRIGGER events_no_update",
                "UPDATE events SET details = '{\"host\":\"evil\"}', hash = '" + forged + "' WHERE seq = 5");

        assertThat(store.verify()).isEqualTo(
                AuditResult.broken(5, 6, "event 6 does not follow event 5: its prev_hash does not match"));
    }

    @Test
    void tamperedFileOpenedAgainStillReportsTheBreak() throws Exception {
        raw("DROP TRIGGER events_no_update", "UPDATE events SET actor = 'mallory' WHERE seq = 9");
        store.close();

        try (SqliteHistoryStore reopened = SqliteHistoryStore.open(db, "auditor@office")) {
            assertThat(reopened.verify().firstBroken()).contains(9L);
        }
    }

    private void raw(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.executeUpdate(s);
            }
        }
    }

    private String column(long seq, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement ps = c.prepareStatement("SELECT " + name + " FROM events WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}

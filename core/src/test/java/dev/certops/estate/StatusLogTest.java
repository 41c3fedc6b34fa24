package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.history.SqliteHistoryStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusLogTest {
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(3600);
    private static final Instant T3 = T2.plusSeconds(3600);

    @TempDir Path dir;

    @Test
    void previousStatusIsEachSubjectsNewestChangeAndSinceIsWhenItWasTaken() throws Exception {
        changes(T1, Map.of("www", "ok", "api", "warning", "127.0.0.1:8443", "unreachable"));
        changes(T2, Map.of("www", "expired", "127.0.0.1:8443", "ok"));
        changes(T3, Map.of("www", "ok"));
        try (HistoryStore h = store(T3)) {
            h.append(new NewEvent(EventKinds.SCAN_FINISHED, "estate", "ok", Map.of("changes", 1)));

            assertThat(new StatusLog(h).previous()).isEqualTo(Map.of(
                    "www", new StatusLog.Last("ok", T3),
                    "api", new StatusLog.Last("warning", T1),
                    "127.0.0.1:8443", new StatusLog.Last("ok", T2)));
        }
    }

    @Test
    void aNewestChangeWithUnreadableDetailsLeavesTheOneBeforeItAsReadingEveryChangeDid() throws Exception {
        changes(T1, Map.of("www", "ok", "api", "warning"));
        changes(T2, Map.of("www", "expired"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history.db")); Statement st = c.createStatement()) {
            st.executeUpdate("DROP TRIGGER events_no_update");
            st.executeUpdate("UPDATE events SET details = '{not json' WHERE seq = (SELECT max(seq) FROM events)");
        }
        try (HistoryStore h = store(T3)) {
            assertThat(new StatusLog(h).previous()).isEqualTo(Map.of(
                    "www", new StatusLog.Last("ok", T1),
                    "api", new StatusLog.Last("warning", T1)));
        }
    }

    @Test
    void noRecordedScanMeansNoPreviousStatus() throws Exception {
        try (HistoryStore h = store(T1)) {
            assertThat(new StatusLog(h).previous()).isEmpty();
        }
    }

    /** One scan's status changes, recorded at {@code at} as StatusLog words them. */
    private void changes(Instant at, Map<String, String> to) throws Exception {
        try (HistoryStore h = store(at)) {
            for (var e : to.entrySet()) {
                h.append(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, e.getKey(), e.getValue(), Map.of("from", "unknown", "to", e.getValue(), "reason", "")));
            }
        }
    }

    private HistoryStore store(Instant now) throws Exception {
        return SqliteHistoryStore.open(dir.resolve("history.db"), "tester@host", Clock.fixed(now, ZoneOffset.UTC));
    }
}

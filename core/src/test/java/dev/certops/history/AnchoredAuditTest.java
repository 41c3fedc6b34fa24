package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify} against the four kinds of tampering a person with file access can do without
 * the checkpoint key: delete the newest events, delete history.db, rewrite an event and recompute the
 * whole chain after it (head file included), forge a checkpoint.
 */
class AnchoredAuditTest {
    @TempDir Path dir;
    Workspace ws;

    @BeforeEach
    void workspaceWithSixEventsAndACheckpoint() throws Exception {
        ws = new Workspace(dir.resolve("ws"));
        assertThat(CliRun.run("init", "--workspace", ws.root().toString()).exitCode()).isZero();
        try (CompositionRoot s = new CompositionRoot(ws, Map.of("USER", "alice"), Clock.systemUTC())) {
            for (int i = 0; i < 5; i++) s.history().append(new NewEvent("scan.finished", "web", "ok", Map.of("n", i)));
        }
    }

    private CliRun verify() { return CliRun.run("audit", "verify", "--workspace", ws.root().toString()); }

    private void tamper(String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ws.historyFile()); Statement st = c.createStatement()) {
            st.executeUpdate("DROP TRIGGER IF EXISTS events_no_update");
            st.executeUpdate("DROP TRIGGER IF EXISTS events_no_delete");
            for (String s : sql) st.executeUpdate(s);
        }
    }

    @Test
    void anUntouchedHistoryVerifiesWithItsAnchorsAndAnchorPrintsTheHead() throws Exception {
        CliRun r = verify();
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("OK: 6 events", "matches its head anchor and signed checkpoints");
        CliRun a = CliRun.run("audit", "anchor", "--workspace", ws.root().toString());
        assertThat(a.out()).contains("event 6 hash ", "checkpoint key: SHA-256 ");
    }

    @Test
    void deletingTheNewestEventsIsNamedAsTruncation() throws Exception {
        tamper("DELETE FROM events WHERE seq > 3");
        CliRun r = verify();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("BROKEN: events 4 to 6 are missing", "(truncated)");
    }

    @Test
    void aDeletedHistoryIsNamedAndNeverRecreatedEmpty() throws Exception {
        for (String f : List.of("history.db", "history.db-wal", "history.db-shm")) Files.deleteIfExists(ws.root().resolve(f));
        CliRun r = verify();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("BROKEN: " + ws.historyFile() + " is missing (deleted or moved)", "held 6 event(s)")
                .doesNotContain("OK:");
        CliRun other = CliRun.run("history", "--workspace", ws.root().toString());
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.err()).contains("is missing", "Restore it from a backup");
        assertThat(ws.historyFile()).doesNotExist();
    }

    @Test
    void aRewrittenEventWithTheWholeChainAndHeadFileRecomputedIsCaughtByTheSignedCheckpoint() throws Exception {
        ChainHasher hasher = new ChainHasher();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ws.historyFile())) {
            tamper("UPDATE events SET details = '{\"n\":99}' WHERE seq = 3");
            String prev = "";
            String last = "";
            long lastSeq = 0;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT seq, time_ms, actor, kind, subject, outcome, details FROM events ORDER BY seq")) {
                while (rs.next()) {
                    String h = hasher.hash(prev, rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7));
                    try (PreparedStatement ps = c.prepareStatement("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?")) {
                        ps.setString(1, prev);
                        ps.setString(2, h);
                        ps.setLong(3, rs.getLong(1));
                        ps.executeUpdate();
                    }
                    prev = h;
                    last = h;
                    lastSeq = rs.getLong(1);
                }
            }
            Files.writeString(ws.stateDir().resolve("history.head"), lastSeq + " " + last + "\n");
        }
        CliRun r = verify();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("BROKEN: event 6 does not have the hash the signed checkpoint at event 6 recorded: the chain was rewritten");
    }

    @Test
    void aForgedCheckpointIsNamed() throws Exception {
        Path cps = ws.stateDir().resolve("history.checkpoints");
        String line = Files.readAllLines(cps).get(Files.readAllLines(cps).size() - 1);
        String[] p = line.split(" ");
        Files.writeString(cps, "9 " + p[1] + " " + p[2] + " " + p[3] + "\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun r = verify();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("BROKEN: the checkpoint at event 9 is not signed by the workspace's checkpoint key (forged or altered)");
    }
}

package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
 * Team mode: the shared PostgreSQL chain is anchored by each console in its own workspace (state/team-history.head,
 * signed state/team-history.checkpoints). What a database administrator can do without a console's checkpoint key —
 * delete the newest rows, rewrite a row and recompute the chain after it, add a checkpoint line — is named by
 * `audit verify`; another console appending meanwhile is not a finding.
 */
class TeamAnchoredAuditTest {
    @TempDir Path dir;
    Workspace ws;
    String url;

    private static Map<String, String> env(String user) {
        return Map.of("USER", user, "CERTOPS_PG_PASSWORD", PostgresFixture.password());
    }

    @BeforeEach
    void teamWorkspaceWithFiveEventsAndACheckpoint() throws Exception {
        url = PostgresFixture.shared().newDatabase();
        ws = workspace("ws");
        try (CompositionRoot s = new CompositionRoot(ws, env("alice"), Clock.systemUTC())) {
            for (int i = 0; i < 5; i++) s.history().append(new NewEvent("scan.finished", "web", "ok", Map.of("n", i)));
        }
    }

    private Workspace workspace(String name) throws Exception {
        Workspace w = new Workspace(dir.resolve(name));
        assertThat(CliRun.run("init", "--workspace", w.root().toString()).exitCode()).isZero();
        Files.writeString(w.configFile(), "history: { url: \"" + url + "\", user: certops, ssl: disable }\n");
        return w;
    }

    private CliRun verify(Workspace w) { return CliRun.run(env("auditor"), "", "audit", "verify", "--workspace", w.root().toString()); }

    private void tamper(String... sql) throws Exception {
        try (Connection admin = PostgresFixture.connect(url); Statement st = admin.createStatement()) {
            st.executeUpdate("ALTER TABLE events DISABLE TRIGGER USER");
            for (String s : sql) st.executeUpdate(s);
        }
    }

    @Test
    void theSharedChainVerifiesWithThisConsolesAnchorsAlsoAfterAnotherConsoleAppended() throws Exception {
        assertThat(Files.readString(ws.stateDir().resolve("team-history.head"))).startsWith("5 ");
        assertThat(Files.readAllLines(ws.stateDir().resolve("team-history.checkpoints"))).hasSize(1);
        Workspace bob = workspace("bob");
        try (CompositionRoot s = new CompositionRoot(bob, env("bob"), Clock.systemUTC())) {
            s.history().append(new NewEvent("scan.finished", "web", "ok", Map.of("n", "bob")));
        }
        CliRun r = verify(ws);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("OK: 6 events", "matches its head anchor and signed checkpoints");
        Workspace carol = workspace("carol"); // a console that never wrote to the shared chain has no team anchors: not a finding
        CliRun fresh = verify(carol);
        assertThat(fresh.exitCode()).as(fresh.out() + fresh.err()).isZero();
        CliRun a = CliRun.run(env("alice"), "", "audit", "anchor", "--workspace", ws.root().toString());
        assertThat(a.out()).contains("event 6 hash ", "checkpoint key: SHA-256 ");
    }

    @Test
    void rowsDeletedFromTheSharedDatabaseAreNamedAsTruncation() throws Exception {
        tamper("DELETE FROM event_signatures WHERE seq > 3", "DELETE FROM events WHERE seq > 3");
        CliRun r = verify(ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("BROKEN: events 4 to 5 are missing", "team-history", "(truncated)");
    }

    @Test
    void aRewrittenRowWithTheChainRecomputedIsCaughtByTheSignedCheckpoint() throws Exception {
        tamper("UPDATE events SET details = '{\"n\":99}' WHERE seq = 3");
        ChainHasher hasher = new ChainHasher();
        try (Connection c = PostgresFixture.connect(url)) {
            String prev = "";
            List<Object[]> rows = new java.util.ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT seq, time_ms, actor, kind, subject, outcome, details FROM events ORDER BY seq")) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)});
                }
            }
            for (Object[] row : rows) {
                String h = hasher.hash(prev, (Long) row[0], (Long) row[1], (String) row[2], (String) row[3], (String) row[4], (String) row[5], (String) row[6]);
                try (PreparedStatement ps = c.prepareStatement("UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?")) {
                    ps.setString(1, prev);
                    ps.setString(2, h);
                    ps.setLong(3, (Long) row[0]);
                    ps.executeUpdate();
                }
                prev = h;
            }
            Files.writeString(ws.stateDir().resolve("team-history.head"), rows.size() + " " + prev + "\n");
        }
        CliRun r = verify(ws);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("BROKEN: event 5 does not have the hash the signed checkpoint at event 5 recorded: the chain was rewritten");
    }

    @Test
    void aForgedCheckpointLineIsNamed() throws Exception {
        Path cps = ws.stateDir().resolve("team-history.checkpoints");
        String[] p = Files.readAllLines(cps).get(0).split(" ");
        Files.writeString(cps, "4 " + p[1] + " " + p[2] + " " + p[3] + "\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun r = verify(ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("BROKEN: the checkpoint at event 4 is not signed by the workspace's checkpoint key (forged or altered)");
    }
}

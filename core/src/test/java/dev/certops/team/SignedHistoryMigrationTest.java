package dev.certops.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryStores;
import dev.certops.history.JdbcHistoryStore;
import dev.certops.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team that started on a local history moves to the shared PostgreSQL with {@code history migrate}:
 * the signatures travel with their events, so the audit on the team database still names who signed
 * each change, and ssh-keygen still verifies them.
 */
class SignedHistoryMigrationTest {
    @TempDir static Path dir;
    static TeamWorld team;

    @BeforeAll
    static void start() throws Exception { team = TeamWorld.start(dir.resolve("keys")); }

    @AfterAll
    static void stop() { team.close(); }

    private static CliRun as(String who, Path ws, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--workspace";
        all[args.length + 1] = ws.toString();
        Map<String, String> env = new HashMap<>(team.as(who));
        env.put("CERTOPS_PG_PASSWORD", PostgresFixture.password());
        return CliRun.run(env, "", all);
    }

    @Test
    void aSignedLocalHistoryMigratedToPostgresKeepsEverySignatureAndTheAuditStillPasses() throws Exception {
        Path ws = dir.resolve("ws");
        assertThat(CliRun.run("init", "--workspace", ws.toString()).exitCode()).isZero();
        String yaml = """
                hosts:
                  - { id: site, address: local, certDir: "%s" }
                certificates:
                  - { id: api, names: [api.example.test] }
                """.formatted(ws.resolve("live"));
        Files.writeString(ws.resolve("certops.yaml"), yaml);
        team.writeTeam(ws);
        assertThat(as("carol", ws, "team", "record").exitCode()).isZero();
        CliRun asked = as("alice", ws, "revoke", "api", "--reason", "key-compromise");
        assertThat(asked.err()).contains("revoke is a two-person gate");
        String request = asked.err().replaceAll("(?s).*\\./certops approve (r-[0-9a-f]+) revoke.*", "$1");
        CliRun approved = as("bob", ws, "approve", request, "revoke", "--reason", "confirmed with the CA");
        assertThat(approved.exitCode()).as(approved.err()).isZero();

        String url = PostgresFixture.shared().newDatabase();
        CliRun migrated = as("carol", ws, "history", "migrate", "--to", url, "--user", PostgresFixture.USER, "--ssl", "disable");

        assertThat(migrated.exitCode()).as(migrated.out() + migrated.err()).isZero();
        assertThat(migrated.out()).contains("3 signatures copied with their events, each as in the source and each matching its event's hash.");
        HistoryDatabase local = new HistoryDatabase.Sqlite(ws.resolve("history.db"));
        HistoryDatabase shared = new HistoryDatabase.Postgres(url, PostgresFixture.USER, PostgresFixture.password(), "disable");
        Map<Long, String> before = new HashMap<>();
        Map<Long, String> after = new HashMap<>();
        try (JdbcHistoryStore a = (JdbcHistoryStore) HistoryStores.open(local, "reader", Clock.systemUTC());
             JdbcHistoryStore b = (JdbcHistoryStore) HistoryStores.open(shared, "reader", Clock.systemUTC())) {
            a.forEachSigned(0, "", (e, sig) -> { if (sig != null) before.put(e.seq(), sig); });
            b.forEachSigned(0, "", (e, sig) -> { if (sig != null) after.put(e.seq(), sig); });
            SignatureAudit.Result audit = SignatureAudit.verify(b);
            assertThat(audit.ok()).as(audit.problems().toString()).isTrue();
            assertThat(audit.signed()).isEqualTo(3);
        }
        assertThat(after).hasSize(3).isEqualTo(before);

        // bob's approval, read back from PostgreSQL, is a signature OpenSSH itself accepts
        try (Connection c = PostgresFixture.connect(url);
             PreparedStatement ps = c.prepareStatement("SELECT e.hash, s.signature FROM events e JOIN event_signatures s ON s.seq = e.seq "
                     + "WHERE e.kind = 'approval.granted'");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            String out = team.sshKeygenVerify(dir.resolve("verify"), "bob@example.com", rs.getString(2), rs.getString(1));
            assertThat(out).contains("Good \"certops\" signature for bob@example.com");
        }

        // the workspace now points at the team database: the audit there sees the same signers and signatures
        Files.writeString(ws.resolve("certops.yaml"), "history: { url: \"" + url + "\", user: certops, ssl: disable }\n" + yaml);
        CliRun audit = as("bob", ws, "audit", "verify");
        assertThat(audit.exitCode()).as(audit.out() + audit.err()).isEqualTo(ExitCodes.OK);
        assertThat(audit.out()).contains("the chain is intact", "signatures, each by a key allowed at its moment");
    }
}

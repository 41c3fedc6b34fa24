package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.certops.identity.KeyFileSigner;
import dev.certops.identity.SshSignature;
import dev.certops.testing.PostgresFixture;
import dev.certops.testing.SshAgentFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** history migrate: SQLite → PostgreSQL → offline SQLite with the chain intact; different chains refused. */
class HistoryMigrationTest {
    @TempDir Path dir;

    private static HistoryDatabase.Postgres pg(String url) {
        return new HistoryDatabase.Postgres(url, PostgresFixture.USER, PostgresFixture.password(), "disable");
    }

    private static void fill(HistoryDatabase db, String actor, int n) throws HistoryException {
        try (HistoryStore s = HistoryStores.open(db, actor, Clock.systemUTC())) {
            List<NewEvent> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(new NewEvent(EventKinds.DEPLOY_STEP, "cert-" + (i % 7), "ok", Map.of("host", "web" + i)));
            }
            s.appendAll(batch);
        }
    }

    @Test
    void localHistoryCopiedIntoPostgresVerifiesWithTheSameSeqAndHashes() throws Exception {
        HistoryDatabase local = new HistoryDatabase.Sqlite(dir.resolve("history.db"));
        fill(local, "alice@laptop", 12_345);
        HistoryDatabase team = pg(PostgresFixture.shared().newDatabase());

        HistoryMigration.Result r = HistoryMigration.copy(local, team, "alice@laptop", Clock.systemUTC());

        assertThat(r.copied()).isEqualTo(12_345);
        try (HistoryStore a = HistoryStores.open(local, "x@y", Clock.systemUTC());
             HistoryStore b = HistoryStores.open(team, "x@y", Clock.systemUTC())) {
            assertThat(b.verify()).isEqualTo(AuditResult.valid(12_345));
            assertThat(b.count()).isEqualTo(a.count());
            assertThat(b.head()).isEqualTo(a.head());
            assertThat(b.query(EventQuery.all().limit(50))).isEqualTo(a.query(EventQuery.all().limit(50)));
        }
    }

    @Test
    void teamHistoryCopiedToAnOfflineFileForAuditorsVerifies() throws Exception {
        HistoryDatabase team = pg(PostgresFixture.shared().newDatabase());
        fill(team, "bob@desktop/c-1", 500);
        HistoryDatabase offline = new HistoryDatabase.Sqlite(dir.resolve("audit.db"));

        HistoryMigration.Result r = HistoryMigration.copy(team, offline, "auditor@office", Clock.systemUTC());

        assertThat(r.total()).isEqualTo(500);
        try (HistoryStore s = HistoryStores.open(offline, "x@y", Clock.systemUTC())) {
            assertThat(s.verify()).isEqualTo(AuditResult.valid(500));
        }
    }

    @Test
    void targetHoldingADifferentChainIsRefusedNamingTheFirstDifferenceAndLeftAsItWas() throws Exception {
        HistoryDatabase local = new HistoryDatabase.Sqlite(dir.resolve("history.db"));
        fill(local, "alice@laptop", 20);
        HistoryDatabase team = pg(PostgresFixture.shared().newDatabase());
        fill(team, "bob@desktop", 5);

        assertThatThrownBy(() -> HistoryMigration.copy(local, team, "alice@laptop", Clock.systemUTC()))
                .isInstanceOf(HistoryConflictException.class)
                .hasMessageContaining("hashes differ").hasMessageContaining("first at seq 1")
                .hasMessageContaining("never merged");
        try (HistoryStore s = HistoryStores.open(team, "x@y", Clock.systemUTC())) {
            assertThat(s.count()).isEqualTo(5);
        }
    }

    @Test
    void anInterruptedCopyIsContinuedFromWhereTheTargetEnds() throws Exception {
        HistoryDatabase local = new HistoryDatabase.Sqlite(dir.resolve("history.db"));
        fill(local, "alice@laptop", 30);
        HistoryDatabase team = pg(PostgresFixture.shared().newDatabase());
        HistoryMigration.copy(local, team, "alice@laptop", Clock.systemUTC());
        fill(local, "alice@laptop", 10);

        HistoryMigration.Result r = HistoryMigration.copy(local, team, "alice@laptop", Clock.systemUTC());

        assertThat(r.copied()).isEqualTo(10);
        assertThat(r.total()).isEqualTo(40);
    }

    private static Map<Long, String> signatures(HistoryDatabase db) throws HistoryException {
        Map<Long, String> out = new HashMap<>();
        try (JdbcHistoryStore s = (JdbcHistoryStore) HistoryStores.open(db, "reader", Clock.systemUTC())) {
            s.forEachSigned(0, "", (e, sig) -> { if (sig != null) out.put(e.seq(), sig); });
        }
        return out;
    }

    @Test
    void signaturesMissingFromAnEarlierCopyAreAddedAndAReUsedOneIsCopiedAsItWasAndCounted() throws Exception {
        KeyFileSigner key = KeyFileSigner.read(SshAgentFixture.newKey(dir, "alice", "ed25519"));
        Path file = dir.resolve("history.db");
        HistoryDatabase local = new HistoryDatabase.Sqlite(file);
        try (JdbcHistoryStore s = (JdbcHistoryStore) HistoryStores.open(local, "alice@example.com", Clock.systemUTC())) {
            s.signWith(hash -> SshSignature.sign(key, hash.getBytes(US_ASCII)).base64());
            for (int i = 0; i < 5; i++) s.append(new NewEvent(EventKinds.DEPLOY_STEP, "api", "ok", Map.of("host", "web" + i)));
            s.signWith(null);
            s.append(new NewEvent(EventKinds.DEPLOY_STEP, "api", "ok", Map.of("host", "web5")));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO event_signatures (seq, signature) SELECT 6, signature FROM event_signatures WHERE seq = 1");
        }
        HistoryDatabase team = pg(PostgresFixture.shared().newDatabase());
        try (JdbcHistoryStore source = (JdbcHistoryStore) HistoryStores.open(local, "x@y", Clock.systemUTC());
             JdbcHistoryStore target = (JdbcHistoryStore) HistoryStores.open(team, "x@y", Clock.systemUTC())) {
            // what a migration before signatures were copied left behind: the first four events, unsigned
            target.appendVerbatim(source.query(EventQuery.all().limit(4)), 0, Map.of());
        }
        assertThat(signatures(team)).isEmpty();

        HistoryMigration.Result r = HistoryMigration.copy(local, team, "alice@example.com", Clock.systemUTC());

        assertThat(r.copied()).isEqualTo(2);
        assertThat(r.signatures()).isEqualTo(6);
        assertThat(r.signaturesNotMatching()).as("event 6 carries event 1's signature, in the source too").isEqualTo(1);
        assertThat(signatures(team)).isEqualTo(signatures(local)).hasSize(6);
    }

    @Test
    void aTargetWithAnotherSignatureOnTheSameEventIsRefusedAndNothingIsCopied() throws Exception {
        KeyFileSigner alice = KeyFileSigner.read(SshAgentFixture.newKey(dir, "alice", "ed25519"));
        KeyFileSigner mallory = KeyFileSigner.read(SshAgentFixture.newKey(dir, "mallory", "ed25519"));
        HistoryDatabase local = new HistoryDatabase.Sqlite(dir.resolve("history.db"));
        try (JdbcHistoryStore s = (JdbcHistoryStore) HistoryStores.open(local, "alice@example.com", Clock.systemUTC())) {
            s.signWith(hash -> SshSignature.sign(alice, hash.getBytes(US_ASCII)).base64());
            for (int i = 0; i < 3; i++) s.append(new NewEvent(EventKinds.DEPLOY_STEP, "api", "ok", Map.of("host", "web" + i)));
        }
        HistoryDatabase team = pg(PostgresFixture.shared().newDatabase());
        try (JdbcHistoryStore source = (JdbcHistoryStore) HistoryStores.open(local, "x@y", Clock.systemUTC());
             JdbcHistoryStore target = (JdbcHistoryStore) HistoryStores.open(team, "x@y", Clock.systemUTC())) {
            List<HistoryEvent> first = source.query(EventQuery.all().limit(1));
            target.appendVerbatim(first, 0, Map.of(1L, SshSignature.sign(mallory, first.get(0).hash().getBytes(US_ASCII)).base64()));
        }

        assertThatThrownBy(() -> HistoryMigration.copy(local, team, "alice@example.com", Clock.systemUTC()))
                .isInstanceOf(HistoryConflictException.class).hasMessageContaining("event 1 with another signature than the source");
        try (HistoryStore s = HistoryStores.open(team, "x@y", Clock.systemUTC())) {
            assertThat(s.count()).isEqualTo(1);
        }
    }
}

package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.testing.PostgresFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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
}

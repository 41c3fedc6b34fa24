package dev.certops.history;

import dev.certops.testing.PostgresFixture;
import java.time.Clock;

/** The store contract on a real PostgreSQL server (one per test JVM, a fresh database per test). */
class PostgresHistoryStoreTest extends HistoryStoreContract {
    private String url;

    static HistoryDatabase.Postgres db(String url) {
        return new HistoryDatabase.Postgres(url, PostgresFixture.USER, PostgresFixture.password(), "disable");
    }

    @Override
    HistoryStore openFresh(String actor, Clock clock) throws Exception {
        url = PostgresFixture.shared().newDatabase();
        return PostgresHistoryStore.open(db(url), actor, clock);
    }

    @Override
    HistoryStore openSame(String actor, Clock clock) throws Exception {
        return PostgresHistoryStore.open(db(url), actor, clock);
    }
}

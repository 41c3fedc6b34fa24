package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.testing.Poll;
import dev.certops.testing.PostgresFixture;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consoles see each other's events within a second. */
class EventFeedTest {
    @TempDir Path dir;

    @Test
    void onPostgresAnotherConsolesEventArrivesWithinASecond() throws Exception {
        HistoryDatabase db = new HistoryDatabase.Postgres(PostgresFixture.shared().newDatabase(), PostgresFixture.USER,
                PostgresFixture.password(), "disable");
        seesOthers(db);
    }

    @Test
    void onSqliteAnotherProcessesEventArrivesWithinASecond() throws Exception {
        seesOthers(new HistoryDatabase.Sqlite(dir.resolve("history.db")));
    }

    private static void seesOthers(HistoryDatabase db) throws Exception {
        try (HistoryStore mine = HistoryStores.open(db, "alice@laptop/c-1", Clock.systemUTC());
             HistoryStore theirs = HistoryStores.open(db, "bob@desktop/c-2", Clock.systemUTC())) {
            mine.append(NewEvent.of("before.subscribe", "", "ok"));
            List<HistoryEvent> seen = new CopyOnWriteArrayList<>();
            try (Closeable sub = new EventFeed(db, mine).subscribe(0, seen::add)) {
                Poll.until(Duration.ofSeconds(5), () -> seen.size() == 1, "the event from before subscribing");
                long t0 = System.nanoTime();
                theirs.append(NewEvent.of(EventKinds.DEPLOY_STEP, "api", "ok"));

                Poll.until(Duration.ofSeconds(1), () -> seen.size() == 2, "bob's event within a second");
                System.out.printf("EventFeed %s: another console's event seen after %.0f ms%n",
                        db.dialect().folder(), (System.nanoTime() - t0) / 1e6);
            }
            assertThat(seen).extracting(HistoryEvent::actor).containsExactly("alice@laptop/c-1", "bob@desktop/c-2");
        }
    }
}

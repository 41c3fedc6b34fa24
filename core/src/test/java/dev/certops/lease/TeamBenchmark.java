package dev.certops.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.AuditResult;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.history.NewEvent;
import dev.certops.testing.PostgresFixture;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Team mode on a loopback PostgreSQL (fsync on): four consoles appending at once (targets: >= 5,000
 * events/s in total, chain valid) and lease acquire + release (target: median <= 10 ms).
 * Run: {@code ./mvnw -B -o -Pbench -pl core verify -Dtest=TeamBenchmark}
 */
@Tag("bench")
class TeamBenchmark {
    private static HistoryDatabase db() {
        return new HistoryDatabase.Postgres(PostgresFixture.shared().newDatabase(), PostgresFixture.USER,
                PostgresFixture.password(), "disable");
    }

    @Test
    void fourConcurrentWritersAppendAtLeastFiveThousandEventsPerSecond() throws Exception {
        double single = writers(1, 2_000);
        double batched = writers(25, 20_000);
        System.out.printf("TeamBenchmark: 4 writers, one event per transaction: %,.0f events/s in total%n", single);
        System.out.printf("TeamBenchmark: 4 writers, batches of 25 events: %,.0f events/s in total (target >= 5,000)%n", batched);
        assertThat(batched).isGreaterThanOrEqualTo(5_000);
    }

    private static double writers(int batch, int perWriter) throws Exception {
        HistoryDatabase db = db();
        List<HistoryStore> stores = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            stores.add(HistoryStores.open(db, "writer" + w + "@bench/c-" + w, Clock.systemUTC()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (HistoryStore s : stores) {
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < perWriter; i += batch) {
                        List<NewEvent> events = new ArrayList<>(batch);
                        for (int j = 0; j < batch; j++) {
                            events.add(new NewEvent(EventKinds.DEPLOY_STEP, "cert-" + (j % 9), "ok",
                                    Map.of("host", "web" + j, "step", "swap")));
                        }
                        s.appendAll(events);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        AuditResult r = stores.get(0).verify();
        assertThat(r).isEqualTo(AuditResult.valid(4L * perWriter));
        for (HistoryStore s : stores) {
            s.close();
        }
        return 4L * perWriter / seconds;
    }

    @Test
    void leaseAcquireAndReleaseTakesAtMostTenMillisecondsAtTheMedian() throws Exception {
        HistoryDatabase db = db();
        try (HistoryStore history = HistoryStores.open(db, "bench@machine/c-1", Clock.systemUTC());
             LeaseService leases = new LeaseService(db, history, "bench@machine", "c-1", Clock.systemUTC(),
                     LeaseService.DEFAULT_TTL)) {
            int n = 500;
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                leases.acquire("cert-" + (i % 10), "deploy", "bench").close();
                nanos[i] = System.nanoTime() - t;
            }
            Arrays.sort(nanos);
            double median = nanos[n / 2] / 1e6;
            System.out.printf("TeamBenchmark: lease acquire + release over %d rounds: median %.2f ms, p95 %.2f ms, "
                    + "max %.2f ms (target median <= 10 ms)%n", n, median, nanos[n * 95 / 100] / 1e6, nanos[n - 1] / 1e6);
            assertThat(median).isLessThanOrEqualTo(10.0);
        }
    }
}

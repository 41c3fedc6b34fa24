package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends 1,000,000 events in batches of 1,000 and verifies the chain, printing both rates.
 * Targets: at least 50,000 events/s appended, verify of 1M events within 5 s.
 * Run: {@code ./mvnw -B -o -Pbench -pl core verify -Dtest=HistoryBenchmark}
 */
@Tag("bench")
class HistoryBenchmark {
    private static final int EVENTS = 1_000_000;
    private static final int BATCH = 1_000;

    @TempDir Path dir;

    @Test
    void appendsAMillionEventsInBatchesAndVerifiesThem() throws Exception {
        try (SqliteHistoryStore store = SqliteHistoryStore.open(dir.resolve("history.db"), "bench@machine")) {
            long start = System.nanoTime();
            for (int b = 0; b < EVENTS / BATCH; b++) {
                List<NewEvent> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    batch.add(new NewEvent(EventKinds.DEPLOY_STEP, "cert-" + (i % 50), "ok",
                            Map.of("host", "web" + (i % 20), "step", "swap", "release", "2026-03-01T10-00-00Z")));
                }
                store.appendAll(batch);
            }
            double appendSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("HistoryBenchmark: appended %,d events in batches of %,d in %.2f s = %,.0f events/s (target >= 50,000)%n",
                    EVENTS, BATCH, appendSeconds, EVENTS / appendSeconds);

            start = System.nanoTime();
            AuditResult result = store.verify();
            double verifySeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("HistoryBenchmark: verified %,d events in %.2f s = %,.0f events/s (target <= 5 s)%n",
                    result.checked(), verifySeconds, result.checked() / verifySeconds);

            assertThat(result).isEqualTo(AuditResult.valid(EVENTS));
        }
    }
}

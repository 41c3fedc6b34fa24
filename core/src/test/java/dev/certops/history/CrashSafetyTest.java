package dev.certops.history;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL leaves a history with a valid chain and only whole batches. */
class CrashSafetyTest {
    private static final int BATCH = 500;

    @TempDir Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void writerKilledMidBatchLeavesAValidChainOfWholeBatches() throws Exception {
        Path db = dir.resolve("history.db");
        long atLeast = 0;
        for (int round = 1; round <= 3; round++) {
            atLeast += killWriterAfter(db, round) * (long) BATCH;

            try (SqliteHistoryStore store = SqliteHistoryStore.open(db, "auditor@office")) {
                long count = store.count();
                assertThat(store.verify()).isEqualTo(AuditResult.valid(count));
                assertThat(count % BATCH).as("events after kill %d: %d", round, count).isZero();
                assertThat(count).isGreaterThanOrEqualTo(atLeast);
                atLeast = count;
            }
        }
    }

    /** Starts a writer, waits until it reports {@code batches} commits, then kills it with SIGKILL. */
    private static int killWriterAfter(Path db, int batches) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HistoryWriterMain.class.getName(), db.toString(), Integer.toString(BATCH))
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        int committed = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(), UTF_8))) {
            String line;
            while (committed < batches && (line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith("committed ")) {
                    committed++;
                }
            }
            assertThat(committed).as("the writer ended before committing %d batches; it said: %s", batches, output)
                    .isEqualTo(batches);
            writer.destroyForcibly(); // SIGKILL: no shutdown hooks, no close(), most likely mid-batch
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            writer.destroyForcibly();
        }
        return committed;
    }
}

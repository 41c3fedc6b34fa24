package dev.certops.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A writer process for the crash test: appends batches to the history given as the first argument
 * until it is killed, printing "committed N" (N = events so far in this process) after each batch.
 */
public final class HistoryWriterMain {
    private HistoryWriterMain() { }

    public static void main(String[] args) throws Exception {
        int batchSize = Integer.parseInt(args[1]);
        try (SqliteHistoryStore store = SqliteHistoryStore.open(Path.of(args[0]), "writer@crash-test")) {
            long written = 0;
            while (true) {
                List<NewEvent> batch = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize; i++) {
                    batch.add(new NewEvent(EventKinds.DEPLOY_STEP, "cert-" + (i % 7), "ok",
                            Map.of("host", "web" + i, "step", "upload", "release", written + i)));
                }
                store.appendAll(batch);
                written += batchSize;
                System.out.println("committed " + written);
                System.out.flush();
            }
        }
    }
}

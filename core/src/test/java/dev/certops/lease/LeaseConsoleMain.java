package dev.certops.lease;

import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import dev.certops.testing.Poll;

/**
 * A console in its own JVM for the two-console test: wants the lease on args[2] for "deploy", prints
 * "held" or "refused MESSAGE", and when refused polls until it gets it (within a minute). Holds it
 * (renewing) until killed. args: url-or-sqlite-file, name, subject, ttl-ms; password in $PGPASS_TEST.
 */
public final class LeaseConsoleMain {
    private LeaseConsoleMain() { }

    public static void main(String[] args) throws Exception {
        HistoryDatabase db = args[0].startsWith("jdbc:")
                ? new HistoryDatabase.Postgres(args[0], "certops", System.getenv("PGPASS_TEST"), "disable")
                : new HistoryDatabase.Sqlite(Path.of(args[0]));
        String actor = args[1] + "@test";
        try (HistoryStore history = HistoryStores.open(db, actor, Clock.systemUTC());
             LeaseService leases = new LeaseService(db, history, actor, args[1], Clock.systemUTC(),
                     Duration.ofMillis(Long.parseLong(args[3])))) {
            boolean[] said = {false};
            Poll.until(Duration.ofSeconds(60), () -> {
                try {
                    leases.acquire(args[2], "deploy", "runbook primary-ca-outage, run " + args[1]);
                    return true;
                } catch (LeaseHeldException e) {
                    if (!said[0]) {
                        System.out.println("refused " + e.getMessage());
                        System.out.flush();
                        said[0] = true;
                    }
                    return false;
                }
            }, "the lease on " + args[2]);
            System.out.println("held");
            System.out.flush();
            new CountDownLatch(1).await(); // holds it, renewing, until the test kills this JVM
        }
    }
}

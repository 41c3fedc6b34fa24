package dev.certops.lease;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.AuditResult;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.testing.PostgresFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two consoles in two JVMs want the same certificate: one holds, the other is refused, then proceeds after a SIGKILL. */
class TwoConsolesLeaseTest {
    private static final long TTL_MS = 1_500;

    @TempDir Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void onPostgresOneConsoleHoldsTheOtherIsRefusedNamingItAndProceedsOnceTheHolderIsKilled() throws Exception {
        String url = PostgresFixture.shared().newDatabase();
        HistoryDatabase db = new HistoryDatabase.Postgres(url, PostgresFixture.USER, PostgresFixture.password(), "disable");
        HistoryStores.open(db, "setup@test", Clock.systemUTC()).close(); // schema in place before the race
        race(url, db);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void onSqliteTwoProcessesOfOneMachineGetTheSameSemantics() throws Exception {
        Path file = dir.resolve("history.db");
        HistoryDatabase db = new HistoryDatabase.Sqlite(file);
        HistoryStores.open(db, "setup@test", Clock.systemUTC()).close();
        race(file.toString(), db);
    }

    private void race(String where, HistoryDatabase db) throws Exception {
        Console a = Console.start(where, "alpha");
        Console b = Console.start(where, "beta");
        try {
            String first = a.next();
            String second = b.next();
            assertThat(List.of(first, second)).filteredOn(l -> l.equals("held")).hasSize(1);
            Console holder = first.equals("held") ? a : b;
            Console waiter = holder == a ? b : a;
            String refusal = holder == a ? second : first;
            assertThat(refusal).startsWith("refused api is being deployed by " + holder.name + "@test since ")
                    .contains("runbook primary-ca-outage, run " + holder.name);

            holder.process.destroyForcibly(); // SIGKILL: no release, no more renewals
            assertThat(waiter.next()).isEqualTo("held");

            try (HistoryStore history = HistoryStores.open(db, "auditor@test", Clock.systemUTC())) {
                List<HistoryEvent> events = history.query(EventQuery.all().kind("lease."));
                assertThat(events).extracting(HistoryEvent::kind).containsExactly(EventKinds.LEASE_ACQUIRED,
                        EventKinds.LEASE_EXPIRED, EventKinds.LEASE_ACQUIRED);
                assertThat(events.get(1).details()).contains("\"previousActor\":\"" + holder.name + "@test\"");
                assertThat(history.verify()).isEqualTo(AuditResult.valid(history.count()));
            }
        } finally {
            a.process.destroyForcibly();
            b.process.destroyForcibly();
        }
    }

    private record Console(String name, Process process, BlockingQueue<String> lines) {
        static Console start(String where, String name) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LeaseConsoleMain.class.getName(), where, name, "api", Long.toString(TTL_MS)).redirectErrorStream(true);
            pb.environment().put("PGPASS_TEST", PostgresFixture.password());
            Process p = pb.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.equals("held") || line.startsWith("refused ")) {
                            lines.add(line);
                        }
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            return new Console(name, p, lines);
        }

        String next() throws InterruptedException {
            String line = lines.poll(30, TimeUnit.SECONDS);
            assertThat(line).as("console %s said nothing within 30 s", name).isNotNull();
            return line;
        }
    }
}

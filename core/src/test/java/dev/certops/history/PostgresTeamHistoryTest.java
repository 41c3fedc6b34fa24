package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.testing.FreePort;
import dev.certops.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What the shared PostgreSQL history adds: many writers on one chain, tamper evidence, clear connection errors. */
class PostgresTeamHistoryTest {
    private final String url = PostgresFixture.shared().newDatabase();

    private static HistoryDatabase.Postgres db(String url, String password, String ssl) {
        return new HistoryDatabase.Postgres(url, PostgresFixture.USER, password, ssl);
    }

    private PostgresHistoryStore open(String actor) throws HistoryException {
        return PostgresHistoryStore.open(db(url, PostgresFixture.password(), "disable"), actor, Clock.systemUTC());
    }

    @Test
    void fourConsolesAppendingAtOnceKeepOneVerifiableChain() throws Exception {
        List<PostgresHistoryStore> consoles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            consoles.add(open("user" + i + "@machine" + i + "/c-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (PostgresHistoryStore s : consoles) {
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 100; i++) {
                        if (i % 10 == 0) {
                            s.appendAll(List.of(NewEvent.of("t.batch", "x", "ok"), NewEvent.of("t.batch", "x", "ok")));
                        } else {
                            s.append(NewEvent.of("t.single", "x", "ok"));
                        }
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

        try (PostgresHistoryStore auditor = open("auditor@office")) {
            assertThat(auditor.verify()).isEqualTo(AuditResult.valid(440));
            assertThat(auditor.query(EventQuery.all())).extracting(HistoryEvent::actor).contains(
                    "user0@machine0/c-0", "user1@machine1/c-1", "user2@machine2/c-2", "user3@machine3/c-3");
        }
        for (PostgresHistoryStore s : consoles) {
            s.close();
        }
    }

    @Test
    void aRowEditedInPostgresIsNamedByVerify() throws Exception {
        try (PostgresHistoryStore store = open("alice@laptop")) {
            for (int i = 0; i < 5; i++) {
                store.append(new NewEvent(EventKinds.DEPLOY_STEP, "api", "ok", Map.of("host", "web" + i)));
            }
            try (Connection admin = PostgresFixture.connect(url); Statement st = admin.createStatement()) {
                // what a database administrator could do: switch the guard off and rewrite a row
                st.executeUpdate("ALTER TABLE events DISABLE TRIGGER events_no_update");
                st.executeUpdate("UPDATE events SET outcome = 'failed' WHERE seq = 3");
            }

            AuditResult r = store.verify();
            assertThat(r.ok()).isFalse();
            assertThat(r.firstBroken()).contains(3L);
            assertThat(r.problem()).get().asString().contains("event 3 was changed");
        }
    }

    @Test
    void theDatabaseRefusesToChangeDeleteOrTruncateEvents() throws Exception {
        try (PostgresHistoryStore store = open("alice@laptop")) {
            store.append(NewEvent.of("a.b", "", "ok"));
        }
        try (Connection admin = PostgresFixture.connect(url); Statement st = admin.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE events SET outcome = 'x'")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM events")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("TRUNCATE events")).hasMessageContaining("append-only");
        }
    }

    @Test
    void wrongPasswordIsNamedWithTheUrlAndNeverThePassword() {
        assertThatThrownBy(() -> PostgresHistoryStore.open(db(url, "not-the-password-42", "disable"), "a@b", Clock.systemUTC()))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining(url).hasMessageContaining("refused the login")
                .hasMessageNotContaining("not-the-password-42");
    }

    @Test
    void unreachableServerIsNamedWithTheUrlAndTheCause() {
        String nowhere = "jdbc:postgresql://127.0.0.1:" + FreePort.tcp() + "/certops";
        assertThatThrownBy(() -> PostgresHistoryStore.open(db(nowhere, "pw", "disable"), "a@b", Clock.systemUTC()))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining(nowhere).hasMessageContaining("cannot be reached");
    }

    @Test
    void serverWithoutTlsIsRefusedWhenTlsIsRequired() {
        assertThatThrownBy(() -> PostgresHistoryStore.open(db(url, PostgresFixture.password(), "require"), "a@b",
                Clock.systemUTC()))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining(url).hasMessageContaining("TLS was refused")
                .hasMessageNotContaining(PostgresFixture.password());
    }

    @Test
    void healthTurnsUnreachableWhenTheServerCannotBeReached() throws Exception {
        try (PostgresHistoryStore store = open("alice@laptop");
             Connection admin = PostgresFixture.connect(PostgresFixture.shared().url("postgres"));
             Statement st = admin.createStatement()) {
            assertThat(store.health().reachable()).isTrue();
            String name = url.substring(url.lastIndexOf('/') + 1);
            st.executeUpdate("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
            st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'").close();

            HistoryHealth h = store.health();
            assertThat(h.reachable()).isFalse();
            assertThat(h.problem()).isPresent();
            assertThatThrownBy(() -> store.append(NewEvent.of("a.b", "", "ok"))).isInstanceOf(HistoryException.class)
                    .hasMessageContaining(url);
        }
    }
}

package dev.certops.app.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.history.NewEvent;
import dev.certops.lease.HeldLease;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.Poll;
import dev.certops.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's live view of the team, against real histories (SQLite file, PostgreSQL server) and real leases. */
class TeamViewModelTest {
    private static final String CERTS = """
            certificates:
              - { id: api, names: [api.example.test], endpoints: ["127.0.0.1:1"] }
              - { id: shop, names: [shop.example.test], endpoints: ["127.0.0.1:2"] }
            """;
    @TempDir Path dir;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private Workspace workspace(String extra) throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), extra + CERTS);
        return ws;
    }

    private CompositionRoot session(Workspace ws, String user, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("USER", user);
        return keep(new CompositionRoot(ws, all, Clock.systemUTC()));
    }

    private TeamViewModel started(CompositionRoot s) {
        TeamViewModel vm = keep(new TeamViewModel(s, Runnable::run));
        vm.start();
        return vm;
    }

    @Test
    void aLeaseAnotherConsoleTakesOnSqliteShowsOnItsCertificateWithinASecondAndGoesWhenReleased() throws Exception {
        seesAnotherConsolesLease(workspace(""), Map.of());
    }

    @Test
    void aLeaseAnotherConsoleTakesOnTeamPostgresShowsOnItsCertificateWithinASecond() throws Exception {
        String url = PostgresFixture.shared().newDatabase();
        seesAnotherConsolesLease(workspace("history: { url: \"" + url + "\", user: certops, ssl: disable }\n"),
                Map.of("CERTOPS_PG_PASSWORD", PostgresFixture.password()));
    }

    private void seesAnotherConsolesLease(Workspace ws, Map<String, String> env) throws Exception {
        TeamViewModel vm = started(session(ws, "me", env));
        CompositionRoot alice = session(ws, "alice", env);
        Poll.until(Duration.ofSeconds(10), () -> vm.presenceTextProperty().get().contains("no other console")
                || vm.presenceTextProperty().get().contains("alice"), "the first read");

        try (HeldLease lease = alice.leases().acquire("api", "deploy", "runbook primary-ca-outage, run 42")) {
            long t0 = System.nanoTime();
            Poll.until(Duration.ofSeconds(1), () -> vm.holds().containsKey("api"), "alice's lease within a second");
            System.out.printf("TeamViewModel: another console's lease shown after %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            assertThat(vm.holds().get("api")).startsWith("held by " + alice.actor() + " — deploy, runbook primary-ca-outage, run 42, since ");
            assertThat(vm.holds()).doesNotContainKey("shop");
        }
        Poll.until(Duration.ofSeconds(1), () -> !vm.holds().containsKey("api"), "the lease gone within a second of its release");
    }

    @Test
    void anotherConnectedConsoleIsListedWithWhatItHolds() throws Exception {
        Workspace ws = workspace("");
        TeamViewModel vm = started(session(ws, "me", Map.of()));
        CompositionRoot bob = session(ws, "bob", Map.of());
        bob.presence();
        try (HeldLease lease = bob.leases().acquire("shop", "rollback", "console rollback of shop on web1")) {
            Poll.until(Duration.ofSeconds(5), () -> vm.presenceTextProperty().get().contains("(holds shop)"), "bob and his lease");
            assertThat(vm.presenceTextProperty().get()).isEqualTo("1 other console: " + bob.actor() + " (holds shop)");
            assertThat(vm.othersDescribed()).singleElement().asString().contains(bob.actor(), bob.consoleId(), "shop: rollback, console rollback of shop on web1");
        }
    }

    @Test
    void anotherConsolesEventReachesTheScreensFollowingTheFeedWithinASecond() throws Exception {
        Workspace ws = workspace("");
        TeamViewModel vm = started(session(ws, "me", Map.of()));
        List<HistoryEvent> seen = new CopyOnWriteArrayList<>();
        vm.onEvent(seen::add);
        Poll.until(Duration.ofSeconds(10), () -> !vm.presenceTextProperty().get().isEmpty(), "the first read");
        session(ws, "carol", Map.of()).history().append(NewEvent.of(EventKinds.DEPLOY_STEP, "api", "ok"));
        Poll.until(Duration.ofSeconds(1), () -> seen.stream().anyMatch(e -> e.kind().equals(EventKinds.DEPLOY_STEP)), "carol's event within a second");
    }

    @Test
    void renewalsThatHaveNotSucceededForThreeDaysWarnInTheStatusBarInWordsWithoutShellCommands() throws Exception {
        Workspace ws = workspace("");
        var threeDaysAgo = Clock.fixed(java.time.Instant.now().minus(Duration.ofDays(3)).minusSeconds(60), ZoneOffset.UTC);
        try (HistoryStore h = HistoryStores.open(new HistoryDatabase.Sqlite(ws.historyFile()), "timer", threeDaysAgo)) {
            h.append(new NewEvent(EventKinds.RENEW_RUN_FINISHED, "renew", "ok", Map.of("exit", 0)));
            h.append(new NewEvent(EventKinds.RENEW_FAILED, "shop", "failed", Map.of("reason", "CA down")));
        }
        TeamViewModel vm = started(session(ws, "me", Map.of()));
        Poll.until(Duration.ofSeconds(10), () -> !vm.renewWarningProperty().get().isEmpty(), "the dead man's switch");
        assertThat(vm.renewWarningProperty().get()).isEqualTo("Renewals have not succeeded for 3 d · 1 certificate failing");
    }

    @Test
    void whenTheTeamPostgresStopsTheConsoleIsStaleNamingTheUrlAndClearsWhenItIsBack() throws Exception {
        PostgresFixture pg = PostgresFixture.dedicated();
        open.add(0, pg::close);
        String url = pg.newDatabase();
        Workspace ws = workspace("history: { url: \"" + url + "\", user: certops, ssl: disable }\n");
        TeamViewModel vm = started(session(ws, "me", Map.of("CERTOPS_PG_PASSWORD", PostgresFixture.password())));
        Poll.until(Duration.ofSeconds(10), () -> vm.presenceTextProperty().get().contains("no other console"), "the first read");
        assertThat(vm.staleProperty().get()).isFalse();

        pg.pause();
        Poll.until(Duration.ofSeconds(2).plus(TeamViewModel.POLL), () -> vm.staleProperty().get(), "stale once the server is stopped");
        assertThat(vm.staleTextProperty().get()).matches("Stale since \\d\\d:\\d\\d — the team history at .* does not answer; changes are disabled until it is back\\.")
                .contains(url).doesNotContain(PostgresFixture.password());

        pg.resume();
        Poll.until(Duration.ofSeconds(2).plus(TeamViewModel.POLL), () -> !vm.staleProperty().get(), "fresh again once the server is back");
        assertThat(vm.staleTextProperty().get()).isEmpty();
    }
}

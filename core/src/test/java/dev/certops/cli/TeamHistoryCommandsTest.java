package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** certops history migrate, and a workspace whose history is the team's PostgreSQL. */
class TeamHistoryCommandsTest {
    @TempDir Path dir;

    private String ws() { return dir.resolve("ws").toString(); }

    private static Map<String, String> env() {
        return Map.of("CERTOPS_PG_PASSWORD", PostgresFixture.password());
    }

    @Test
    void migrateCopiesTheLocalHistoryIntoPostgresAndAuditVerifyPassesThereWithTheSameCount() throws Exception {
        CliRun.run("init", "--workspace", ws());
        String url = PostgresFixture.shared().newDatabase();

        CliRun m = CliRun.run(env(), "", "history", "migrate", "--workspace", ws(), "--to", url, "--ssl", "disable");
        assertThat(m.exitCode()).as(m.err()).isZero();
        assertThat(m.out()).contains("Copied 1 events", "verified");

        Files.writeString(Path.of(ws(), "certops.yaml"), "history: { url: \"" + url + "\", user: certops, ssl: disable }\n");
        CliRun verify = CliRun.run(env(), "", "audit", "verify", "--workspace", ws());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("OK: 1 events");
        CliRun list = CliRun.run(env(), "", "history", "--workspace", ws(), "--since", "24h");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("workspace.created");
    }

    @Test
    void migrateIntoADifferentChainIsRefusedNamingTheConflict() throws Exception {
        CliRun.run("init", "--workspace", ws());
        String url = PostgresFixture.shared().newDatabase();
        CliRun.run(env(), "", "history", "migrate", "--workspace", ws(), "--to", url, "--ssl", "disable");
        Path other = dir.resolve("other");
        CliRun.run("init", "--workspace", other.toString());

        CliRun m = CliRun.run(env(), "", "history", "migrate", "--workspace", other.toString(), "--to", url, "--ssl", "disable");

        assertThat(m.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(m.err()).contains("hashes differ", "first at seq 1", "never merged");
    }

    @Test
    void deployIsRefusedWhileAnotherConsoleHoldsTheCertificatesLease() throws Exception {
        CliRun.run("init", "--workspace", ws());
        // api must be a configured certificate: an id certops.yaml does not list is refused before any lease is asked for
        Files.writeString(Path.of(ws(), "certops.yaml"), """
                cas:
                  - { id: le, directory: "https://127.0.0.1:9/dir" }
                certificates:
                  - { id: api, names: [api.example.com] }
                """);
        dev.certops.history.HistoryDatabase db = new dev.certops.history.HistoryDatabase.Sqlite(Path.of(ws(), "history.db"));
        try (dev.certops.history.HistoryStore h = dev.certops.history.HistoryStores.open(db, "alice@laptop",
                java.time.Clock.systemUTC());
             dev.certops.lease.LeaseService leases = new dev.certops.lease.LeaseService(db, h, "alice@laptop", "c-alice",
                     java.time.Clock.systemUTC(), dev.certops.lease.LeaseService.DEFAULT_TTL);
             dev.certops.lease.HeldLease held = leases.acquire("api", "deploy", "runbook primary-ca-outage, run 42")) {

            CliRun r = CliRun.run("deploy", "api", "--workspace", ws());

            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).contains("api is being deployed by alice@laptop since", "runbook primary-ca-outage, run 42");
        }
    }

    @Test
    void unreachableTeamHistoryFailsTheCommandNamingTheUrlAndWritesNothingLocally() throws Exception {
        CliRun.run("init", "--workspace", ws());
        Path local = Path.of(ws(), "history.db");
        long before = Files.size(local);
        String url = "jdbc:postgresql://127.0.0.1:" + dev.certops.testing.FreePort.tcp() + "/certops";
        Files.writeString(Path.of(ws(), "certops.yaml"), "history: { url: \"" + url + "\", user: certops, ssl: disable }\n");

        CliRun r = CliRun.run(env(), "", "audit", "verify", "--workspace", ws());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains(url, "cannot be reached").doesNotContain(PostgresFixture.password());
        assertThat(Files.size(local)).isEqualTo(before);
    }

    @Test
    void leaseListShowsWhoHoldsWhatAndBreakNeedsAReasonAndRecordsIt() throws Exception {
        CliRun.run("init", "--workspace", ws());
        dev.certops.history.HistoryDatabase db = new dev.certops.history.HistoryDatabase.Sqlite(Path.of(ws(), "history.db"));
        try (dev.certops.history.HistoryStore h = dev.certops.history.HistoryStores.open(db, "alice@laptop", java.time.Clock.systemUTC());
             dev.certops.lease.LeaseService leases = new dev.certops.lease.LeaseService(db, h, "alice@laptop", "c-alice",
                     java.time.Clock.systemUTC(), dev.certops.lease.LeaseService.DEFAULT_TTL);
             dev.certops.lease.HeldLease held = leases.acquire("api", "deploy", "runbook primary-ca-outage, run 42")) {

            CliRun list = CliRun.run("lease", "list", "--workspace", ws());
            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(list.out()).contains("api", "deploy", "alice@laptop", "runbook primary-ca-outage, run 42", "lapses");

            CliRun noReason = CliRun.run("lease", "break", "api", "--workspace", ws());
            assertThat(noReason.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(noReason.err()).contains("--reason");

            CliRun broken = CliRun.run("lease", "break", "api", "--reason", "alice's laptop crashed mid-deploy", "--workspace", ws());
            assertThat(broken.exitCode()).as(broken.err()).isZero();
            assertThat(broken.out()).contains("Broke the lease on api", "alice@laptop", "runbook primary-ca-outage, run 42");

            assertThat(CliRun.run("lease", "list", "--workspace", ws()).out()).contains("No leases");
            var events = h.query(dev.certops.history.EventQuery.all().kind(dev.certops.history.EventKinds.LEASE_BROKEN));
            assertThat(events).singleElement().satisfies(e -> assertThat(e.details())
                    .contains("alice's laptop crashed mid-deploy", "\"previousActor\":\"alice@laptop\""));
        }
    }
}

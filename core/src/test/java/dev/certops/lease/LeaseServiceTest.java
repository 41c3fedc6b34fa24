package dev.certops.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.testing.Poll;
import dev.certops.testing.PostgresFixture;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases between two consoles sharing a PostgreSQL history, in one JVM (the two-JVM case is TwoConsolesLeaseTest). */
class LeaseServiceTest {
    private HistoryDatabase db;
    private HistoryStore history;
    private LeaseService alice;
    private LeaseService bob;

    @BeforeEach
    void open() throws Exception {
        db = new HistoryDatabase.Postgres(PostgresFixture.shared().newDatabase(), PostgresFixture.USER,
                PostgresFixture.password(), "disable");
        history = HistoryStores.open(db, "team@test", Clock.systemUTC());
        alice = new LeaseService(db, history, "alice@laptop", "c-alice", Clock.systemUTC(), LeaseService.DEFAULT_TTL);
        bob = new LeaseService(db, history, "bob@desktop", "c-bob", Clock.systemUTC(), LeaseService.DEFAULT_TTL);
    }

    @AfterEach
    void close() throws Exception {
        alice.close();
        bob.close();
        history.close();
    }

    @Test
    void secondConsoleIsRefusedWithWhoHoldsItSinceWhenAndWhy() throws Exception {
        try (HeldLease held = alice.acquire("api", "deploy", "runbook primary-ca-outage, run 42")) {
            assertThatThrownBy(() -> bob.acquire("api", "deploy", "manual deploy"))
                    .isInstanceOf(LeaseHeldException.class)
                    .hasMessageStartingWith("api is being deployed by alice@laptop since ")
                    .hasMessageContaining("UTC, runbook primary-ca-outage, run 42");
        }
    }

    @Test
    void releasedLeaseCanBeTakenByTheOtherConsoleAndBothAreRecorded() throws Exception {
        alice.acquire("api", "issue", "certops issue api").close();

        try (HeldLease held = bob.acquire("api", "deploy", "certops deploy api")) {
            assertThat(held.lease().actor()).isEqualTo("bob@desktop");
        }
        assertThat(history.query(EventQuery.all().kind("lease."))).extracting(HistoryEvent::kind).containsExactly(
                EventKinds.LEASE_ACQUIRED, EventKinds.LEASE_RELEASED, EventKinds.LEASE_ACQUIRED, EventKinds.LEASE_RELEASED);
    }

    @Test
    void differentSubjectsDoNotBlockEachOther() throws Exception {
        try (HeldLease a = alice.acquire("api", "deploy", "x"); HeldLease b = bob.acquire("www", "deploy", "y")) {
            assertThat(alice.current()).extracting(Lease::subject).containsExactly("api", "www");
        }
    }

    @Test
    void aLeaseOfAConsoleOfThisMachineWhoseProcessEndedIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (LeaseService crashed = new LeaseService(db, history, "alice@laptop", "c-1a2b3c4d-" + gone.pid(), Clock.systemUTC(), LeaseService.DEFAULT_TTL);
             LeaseService resumed = new LeaseService(db, history, "alice@laptop", "c-5e6f7a8b-" + ProcessHandle.current().pid(), Clock.systemUTC(), LeaseService.DEFAULT_TTL)) {
            crashed.acquire("api", "deploy", "runbook primary-ca-outage, run 7"); // never released: its process is gone

            try (HeldLease held = resumed.acquire("api", "deploy", "runbook primary-ca-outage, run 7")) {
                assertThat(held.lease().console()).endsWith("-" + ProcessHandle.current().pid());
            }
            HistoryEvent takeover = history.query(EventQuery.all().kind(EventKinds.LEASE_EXPIRED)).get(0);
            assertThat(takeover.details()).contains("its console process on this machine has ended");
        }
    }

    @Test
    void aLeaseOfAnotherMachineIsNeverJudgedByALocalProcessId() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (LeaseService elsewhere = new LeaseService(db, history, "bob@desktop", "c-1a2b3c4d-" + gone.pid(), Clock.systemUTC(), LeaseService.DEFAULT_TTL);
             LeaseService here = new LeaseService(db, history, "alice@laptop", "c-5e6f7a8b-" + ProcessHandle.current().pid(), Clock.systemUTC(), LeaseService.DEFAULT_TTL)) {
            elsewhere.acquire("api", "deploy", "certops deploy api");

            assertThatThrownBy(() -> here.acquire("api", "deploy", "certops deploy api")).isInstanceOf(LeaseHeldException.class)
                    .hasMessageStartingWith("api is being deployed by bob@desktop");
        }
    }

    @Test
    void aLeaseOfACloneWithTheSameHostNameIsNeverJudgedByALocalProcessId() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        // a cloned VM: same user@host name, its own boot; its console's pid means nothing on this machine
        try (LeaseService clone = new LeaseService(db, history, "alice@laptop", "c-1a2b3c4d-" + gone.pid(), Clock.systemUTC(),
                LeaseService.DEFAULT_TTL, java.util.Optional.of("boot-of-the-clone"));
             LeaseService here = new LeaseService(db, history, "alice@laptop", "c-5e6f7a8b-" + ProcessHandle.current().pid(),
                     Clock.systemUTC(), LeaseService.DEFAULT_TTL, java.util.Optional.of("boot-of-this-machine"))) {
            clone.acquire("api", "deploy", "certops deploy api");

            assertThatThrownBy(() -> here.acquire("api", "deploy", "certops deploy api")).isInstanceOf(LeaseHeldException.class)
                    .hasMessageStartingWith("api is being deployed by alice@laptop");
        }
    }

    @Test
    void breakingALeaseNeedsAReason() throws Exception {
        try (HeldLease held = alice.acquire("api", "deploy", "x")) {
            assertThatThrownBy(() -> bob.breakLease("api", " ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs a reason");
        }
    }

    @Test
    void brokenLeaseIsRecordedWithTheReasonAndTheHolderLearnsItLostIt() throws Exception {
        LeaseService shortLived = new LeaseService(db, history, "alice@laptop", "c-alice2", Clock.systemUTC(),
                Duration.ofMillis(300));
        try (HeldLease held = shortLived.acquire("api", "deploy", "runbook key-compromise, run 7")) {
            bob.breakLease("api", "alice's laptop crashed mid-deploy");

            Poll.until(Duration.ofSeconds(5), held::lost, "the holder notices its lease was broken");
            HistoryEvent broken = history.query(EventQuery.all().kind(EventKinds.LEASE_BROKEN)).get(0);
            assertThat(broken.actor()).isEqualTo("team@test");
            assertThat(broken.details()).contains("\"reason\":\"alice's laptop crashed mid-deploy\"")
                    .contains("\"previousActor\":\"alice@laptop\"");
        } finally {
            shortLived.close();
        }
    }

    @Test
    void presenceListsConnectedConsolesWithTheLeasesTheyHold() throws Exception {
        try (Presence pa = Presence.join(db, "alice@laptop", "c-alice", Clock.systemUTC(), Duration.ofSeconds(1));
             Presence pb = Presence.join(db, "bob@desktop", "c-bob", Clock.systemUTC(), Duration.ofSeconds(1));
             HeldLease held = alice.acquire("api", "deploy", "x")) {
            assertThat(pb.current()).extracting(Presence.ConsoleInfo::console).containsExactly("c-alice", "c-bob");
            assertThat(pb.current().get(0).leases()).extracting(Lease::subject).containsExactly("api");
            assertThat(pb.current().get(1).leases()).isEmpty();
        }
    }
}

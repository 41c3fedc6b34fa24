package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.AcmeLab;
import dev.certops.cli.CliRun;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certops renew} in a separate JVM, held inside a host's reload (after it ordered and issued):
 * a second run is refused naming the holder; after {@code kill -9} the next run completes the work —
 * deploying the version already issued — without a second order.
 */
class RenewProcessesTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    RenewWorld world;
    Process first;

    @BeforeAll
    static void startLab() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stopLab() { lab.close(); }

    @BeforeEach
    void firstRunBlockedInTheDeploy() throws Exception {
        world = new RenewWorld(lab, dir, lab.primary.directoryUrl(), lab.secondary.directoryUrl(), true);
        Files.writeString(dir.resolve("ARMED"), "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.certops.cli.Cli",
                "renew", "--workspace", ws()).redirectErrorStream(true).redirectOutput(dir.resolve("first.out").toFile());
        pb.environment().put("USER", "tester");
        first = pb.start();
        Poll.until(Duration.ofSeconds(90), () -> Files.exists(dir.resolve("BLOCKED")) || !first.isAlive(), "the first run to reach the host's reload");
        assertThat(first.isAlive()).as(Files.readString(dir.resolve("first.out"))).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        if (first != null) {
            first.destroyForcibly();
            first.waitFor();
        }
        Files.writeString(dir.resolve("GO"), "");
        if (world != null) world.close();
    }

    private String ws() { return world.session.workspace().root().toString(); }

    @Test
    void aSecondRenewRunIsRefusedNamingTheRunThatHoldsTheWorkspace() {
        CliRun second = CliRun.run(Map.of(), "", "renew", "--workspace", ws());

        assertThat(second.exitCode()).isEqualTo(RenewLock.BUSY_EXIT);
        assertThat(second.err()).contains("another renew run holds").contains("pid=" + first.pid()).contains("started=");
    }

    @Test
    void aRunKilledMidDeployIsCompletedByTheNextWithoutASecondOrder() throws Exception {
        first.destroyForcibly(); // SIGKILL while the host's reload waits
        first.waitFor();
        Files.writeString(dir.resolve("GO"), ""); // the orphaned reload script exits without reloading
        assertThat(world.served("due")).as("the killed run never reloaded").isEqualTo(world.seededSerial.get("due"));

        CliRun next = CliRun.run(Map.of(), "", "renew", "--workspace", ws());

        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        assertThat(next.out()).contains("due: version 2 re-deployed and verified on h-due");
        try (var h = SqliteHistoryStore.open(world.session.workspace().historyFile(), "test")) {
            assertThat(h.query(EventQuery.all().kind(EventKinds.ACME_ORDER_CREATED))).as("one order in all").hasSize(1);
            var issued = h.query(EventQuery.all().kind(EventKinds.ACME_CERT_ISSUED));
            assertThat(issued).hasSize(1);
            String serial = new com.fasterxml.jackson.databind.ObjectMapper().readTree(issued.get(0).details()).path("serial").asText();
            // an old nginx worker may still answer a moment after the verified reload: the new serial must be served steadily
            world.awaitServed("due", serial);
            assertThat(h.verify().ok()).isTrue();
        }
    }
}

package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.testing.FreePort;
import dev.certops.testing.GatedCommand;
import dev.certops.testing.LoopDisk;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.TestTls;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix of the write-ahead record, against a real nginx on loopback (a local host) and the
 * workspace on a small real ext4 disk (loop device): the disk full before and during a deploy, history.db
 * made immutable after the swap, a corrupted page, kill -9 and SIGTERM of a deploying JVM at the reload.
 * For each: nothing served changed without a record, the message, and what the next command does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecordFaultMatrixTest {
    @TempDir static Path shared;
    static NginxFixture nginx;
    static int port;
    static TestTls v1;
    static TestTls v2;
    static Path certDir;

    @TempDir Path dir;
    LoopDisk disk;
    Workspace ws;
    Path faultScript;
    Path armed;
    GatedCommand reloadGate;

    @BeforeAll
    static void nginxServingTheLiveLink() throws Exception {
        v1 = TestTls.create(shared.resolve("v1"));
        v2 = TestTls.create(shared.resolve("v2"));
        certDir = Files.createDirectories(shared.resolve("host/ssl"));
        port = FreePort.tcp();
        nginx = NginxFixture.in(shared.resolve("nginx")).addServer("localhost", port, v1.certPem(), v1.keyPem());
        nginx.start();
        nginx.serveLiveLinkInsteadOf(v1.certPem(), v1.keyPem(), certDir);
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) nginx.close();
    }

    @BeforeEach
    void workspaceOnASmallDiskWithVersion1Live() throws Exception {
        disk = LoopDisk.mount(dir, 16);
        ws = new Workspace(disk.root().resolve("ws"));
        ws.create();
        v1.storeAs(ws, "web", "1");
        v2.storeAs(ws, "web", "2");
        faultScript = dir.resolve("fault.sh");
        armed = dir.resolve("ARMED");
        Path hook = dir.resolve("test-hook.sh");
        // the host's config test runs right after the swap (and the reload's intent): the fault strikes there when armed
        Files.writeString(hook, "if [ -e " + armed + " ]; then rm -f " + armed + "; sh " + faultScript + "; fi\nexec " + nginx.testCommand() + "\n");
        Files.createDirectories(dir.resolve("gate"));
        reloadGate = GatedCommand.around(dir.resolve("gate"), "reload.sh", nginx.reloadCommand());
        Files.writeString(ws.configFile(), """
                hosts:
                  - { id: web-1, address: local, certDir: %s, test: "sh %s", reload: "%s" }
                certificates:
                  - id: web
                    names: [localhost]
                    deploy: { waves: [[web-1]] }
                    endpoints: [{ host: 127.0.0.1, port: %d, sni: localhost }]
                """.formatted(certDir, hook, reloadGate.command(), port));
        CliRun first = deploy("1");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        TestTls.awaitServedSteadily(port, "localhost", v1.serial());
    }

    @AfterEach
    void unmount() throws Exception {
        if (reloadGate != null) reloadGate.release();
        if (disk != null) disk.close();
    }

    private CliRun deploy(String version) {
        return CliRun.run("deploy", "web", "--version", version, "--workspace", ws.root().toString());
    }

    private void armFault(String shell) throws Exception {
        Files.writeString(faultScript, shell + "\n");
        Files.writeString(armed, "");
    }

    /** What the live link points at, and that the host serves that release's certificate. */
    private String liveServes(TestTls version) throws Exception {
        TestTls.awaitServedSteadily(port, "localhost", version.serial());
        Path live = certDir.resolve("live");
        String release = Files.readSymbolicLink(live).getFileName().toString();
        assertThat(Files.readString(live.resolve("cert.pem"))).isEqualTo(Files.readString(version.certPem()));
        return release;
    }

    private List<HistoryEvent> events(String kind) throws Exception {
        try (HistoryStore h = SqliteHistoryStore.open(ws.historyFile(), "auditor@test")) {
            return h.query(EventQuery.all().kind(kind));
        }
    }

    @Test
    void aFullDiskStopsTheDeployBeforeAnyHostIsTouchedAndTheNextDeployRunsOnceThereIsRoom() throws Exception {
        String before = liveServes(v1);
        disk.fill();

        CliRun r = deploy("2");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("history cannot be written: the disk holding " + ws.historyFile() + " is full",
                "free space there; nothing was changed");
        assertThat(liveServes(v1)).as("live untouched").isEqualTo(before);

        disk.free();
        CliRun next = deploy("2");
        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        liveServes(v2);
    }

    @Test
    void aDiskThatFillsAfterTheSwapRollsTheHostBackAndTheNextDeploySettlesTheUnfinishedRecord() throws Exception {
        String before = liveServes(v1);
        armFault(disk.fillCommand());

        Process failing = childDeploy("2"); // in its own process: the lease it cannot give back dies with it

        assertThat(failing.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String failed = Files.readString(dir.resolve("child.out"));
        assertThat(failing.exitValue()).as(failed).isEqualTo(ExitCodes.FAILED);
        assertThat(failed).contains("web-1: rolled back", "history cannot be written after the reload", "is full",
                "rolled back as after a failed verification", "previous certificate verified served");
        assertThat(liveServes(v1)).as("the unrecorded change is no longer served").isEqualTo(before);

        disk.free();
        // a new process, as an operator's next command is (the failed one could not record giving its lease back)
        Process next = childDeploy("2");
        assertThat(next.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("child.out"));
        assertThat(next.exitValue()).as(out).isZero();
        assertThat(out).contains("Recovered an interrupted deploy first: web-1: the unverified release", "is not live");
        liveServes(v2);
        List<HistoryEvent> recovered = events(EventKinds.DEPLOY_RECOVERED);
        assertThat(recovered).singleElement().satisfies(e -> assertThat(e.details()).contains("\"action\":\"none\"", "is not live"));
    }

    @Test
    void historyMadeImmutableAfterTheSwapRollsTheHostBackInAJvmThatKeepsRunning() throws Exception {
        Path db = ws.historyFile();
        armFault("chattr +i " + db + " " + db + "-wal");
        Process child = childDeploy("2");
        try {
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(dir.resolve("child.out"));
            assertThat(child.exitValue()).as("a clean failure, not a SIGBUS (134) — " + out).isEqualTo(ExitCodes.FAILED);
            assertThat(out).contains("web-1: rolled back", "history cannot be written after the reload", "rolled back as after a failed verification");
            try (var s = Files.list(dir)) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
            }
        } finally {
            child.destroyForcibly();
        }
        liveServes(v1);
        disk.makeMutable();
        Process next = childDeploy("2");
        assertThat(next.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).as(Files.readString(dir.resolve("child.out"))).isZero();
        liveServes(v2);
    }

    @Test
    void aCorruptedHistoryRefusesTheDeployNamingTheDamage() throws Exception {
        String before = liveServes(v1);
        try (RandomAccessFile f = new RandomAccessFile(ws.historyFile().toFile(), "rw")) {
            long pages = f.length() / 4096;
            for (long p = 1; p < pages; p++) { // every page but the header: b-tree pages with garbage
                f.seek(p * 4096);
                f.write(new byte[] {(byte) 0x0d, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f});
            }
        }
        CliRun r = deploy("2");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains(ws.historyFile() + " is damaged", "restore history.db from a backup");
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(liveServes(v1)).isEqualTo(before);
    }

    /** A deploy of version 2 in a child JVM killed (SIGKILL) while its reload waits at the gate; returns the release it left live. */
    private String killDashNineAtTheReload(String before) throws Exception {
        reloadGate.arm();
        Process child = childDeploy("2");
        try {
            reloadGate.awaitBlocked(Duration.ofSeconds(60), "the deploy to reach the reload");
        } finally {
            child.destroyForcibly(); // SIGKILL: nothing runs after it
            child.waitFor();
        }
        reloadGate.release();
        String unverified = Files.readSymbolicLink(certDir.resolve("live")).getFileName().toString();
        assertThat(unverified).as("swapped, never verified").isNotEqualTo(before);
        return unverified;
    }

    @Test
    void killDashNineAtTheReloadLeavesAnUnverifiedReleaseThatTheNextCommandRollsBackFirst() throws Exception {
        String before = liveServes(v1);
        String unverified = killDashNineAtTheReload(before);

        CliRun next = deploy("2");

        List<HistoryEvent> recovered = events(EventKinds.DEPLOY_RECOVERED);
        assertThat(recovered).as(next.out() + next.err()).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("\"action\":\"rolled-back\"", unverified + " was live but not served"));
        assertThat(events(EventKinds.DEPLOY_INTENT)).as("settled back to the release verified before, before the new deploy's upload")
                .anySatisfy(e -> assertThat(e.details()).contains("\"step\":\"upload\"", "new release beside live " + before));
        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        liveServes(v2);
        try (HistoryStore h = SqliteHistoryStore.open(ws.historyFile(), "auditor@test")) {
            assertThat(h.verify().ok()).isTrue();
        }
    }

    @Test
    void aRenewRunAfterAKillDashNineSettlesTheUnverifiedReleaseBeforeDecidingAnything() throws Exception {
        String before = liveServes(v1);
        String unverified = killDashNineAtTheReload(before);

        CliRun renew = CliRun.run("renew", "--workspace", ws.root().toString());

        assertThat(renew.out()).as(renew.out() + renew.err()).contains("web: recovered an interrupted deploy first: web-1: " + unverified
                + " was live but not served");
        List<HistoryEvent> recovered = events(EventKinds.DEPLOY_RECOVERED);
        assertThat(recovered).singleElement().satisfies(e -> assertThat(e.details()).contains("\"action\":\"rolled-back\""));
        long decided = events(EventKinds.RENEW_DECIDED).stream().mapToLong(HistoryEvent::seq).min().orElse(Long.MAX_VALUE);
        assertThat(recovered.get(0).seq()).as("settled before the run decided").isLessThan(decided);
        assertThat(events(EventKinds.RENEW_RUN_STARTED).get(0).seq()).isGreaterThan(recovered.get(0).seq());
        assertThat(liveServes(v1)).as("the release verified before is live and served again").isEqualTo(before);
        try (HistoryStore h = SqliteHistoryStore.open(ws.historyFile(), "auditor@test")) {
            assertThat(h.verify().ok()).isTrue();
        }
    }

    @Test
    void sigtermAtTheReloadSettlesTheHostRecordsTheInterruptionAndExits() throws Exception {
        String before = liveServes(v1);
        reloadGate.arm();
        Process child = childDeploy("2");
        try {
            reloadGate.awaitBlocked(Duration.ofSeconds(60), "the deploy to reach the reload");
            child.destroy(); // SIGTERM
            reloadGate.release(); // the reload in progress gives up (exit 1): the host is rolled back, then the JVM exits
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("exits after settling the host").isTrue();
        } finally {
            child.destroyForcibly();
        }
        List<HistoryEvent> interrupted = events(EventKinds.DEPLOY_INTERRUPTED);
        assertThat(interrupted).as(Files.readString(dir.resolve("child.out"))).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("SIGTERM", "web-1"));
        assertThat(events(EventKinds.DEPLOY_ROLLBACK)).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("ok"));
        assertThat(liveServes(v1)).isEqualTo(before);
        CliRun next = deploy("2");
        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        assertThat(events(EventKinds.DEPLOY_RECOVERED)).as("nothing was left unfinished").isEmpty();
    }

    private Process childDeploy(String version) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-cp", System.getProperty("java.class.path"),
                "dev.certops.cli.Cli", "deploy", "web", "--version", version, "--workspace", ws.root().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile());
        pb.environment().put("USER", "tester");
        return pb.start();
    }
}

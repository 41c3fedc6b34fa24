package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.crypto.PemReader;
import dev.certops.deploy.DeployBundle;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.testing.LoopDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deploy fault matrix over SSH, with the CLI in real processes: a real sshd and nginx on loopback, the host's
 * certDir on a small real ext4 disk (loop device). sshd stopped in the middle of the upload, the host's disk full,
 * and kill -9 and SIGTERM of the deploying JVM at every step of a deploy. For each: what is served did not change without a
 * record, the operator's message says what happened, what is live and what to do, the history verifies, and the
 * next command settles what the killed one left (from the write-ahead record) before doing its own work.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SshDeployFaultMatrixTest {
    @TempDir static Path shared;
    static LoopDisk disk;
    static DeployLab lab;
    static StepGate gate;
    static Path failTest;
    static int labelCounter;
    @TempDir Path dir;

    @BeforeAll
    static void hostOnASmallDisk() throws Exception {
        disk = LoopDisk.mount(Files.createDirectories(shared.resolve("host-disk")), 8);
        lab = DeployLab.start(shared.resolve("lab"));
        lab.addHostIn("web1", disk.root().resolve("certs"));
        gate = new StepGate(shared.resolve("gate"));
        failTest = shared.resolve("FAIL-CONFIG-TEST");
        Path hook = shared.resolve("config-test.sh");
        String test = lab.host("web1").testCommand();
        // the config test fails while the flag exists: a deploy that has swapped then rolls back
        Files.writeString(hook, "if [ -e " + failTest + " ]; then echo 'broken config (injected)' >&2; exit 1; fi\nexec " + test + "\n");
        Files.writeString(lab.workspace().configFile(), lab.configYaml().replace("test: \"" + test + "\"", "test: \"sh " + hook + "\""));
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) lab.close();
        if (disk != null) disk.close();
    }

    @AfterEach
    void openTheGate() throws Exception {
        Files.deleteIfExists(gate.dir().resolve("AT"));
        Files.deleteIfExists(failTest);
        disk.free();
    }

    private static CliRun certops(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--workspace", lab.workspace().root().toString()));
        return CliRun.run(Map.of("USER", "tester"), "", a.toArray(String[]::new));
    }

    /** A new stored version of api; returns its number. */
    private static String newVersion() throws Exception {
        return String.valueOf(lab.store(lab.newVersion("api", "f" + (++labelCounter))));
    }

    /** The CLI deploying {@code version} in a child JVM under the step gate. */
    private Process childDeploy(String version) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.certops.cli.Cli",
                "deploy", "api", "--version", version, "--workspace", lab.workspace().root().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile());
        pb.environment().put("USER", "tester");
        pb.environment().put(StepGate.ENV, gate.dir().toString());
        return pb.start();
    }

    private String live() throws Exception { return lab.liveRelease("web1"); }

    /** Asserts the endpoint serves the certificate of the release live now (the served certificate and the link agree). */
    private String servedIsLive() throws Exception {
        Path cert = disk.root().resolve("certs/live/cert.pem");
        String sha = DeployBundle.sha256Hex(PemReader.readCertificates(Files.readString(cert), "live").get(0));
        lab.awaitServed("web1", sha);
        return live();
    }

    private static List<HistoryEvent> events(String kind) throws Exception {
        return lab.history().query(EventQuery.all().kind(kind));
    }

    private static void historyVerifies() {
        CliRun v = certops("audit", "verify");
        assertThat(v.exitCode()).as(v.out() + v.err()).isZero();
    }

    @Test
    void sshdStoppedInTheMiddleOfTheUploadLeavesLiveServedAndSaysSoThenTheNextDeployCleansUp() throws Exception {
        String before = servedIsLive();
        String version = newVersion();
        gate.stopAt("upload");
        Process child = childDeploy(version);
        try {
            gate.awaitBlocked("the upload");
            long pid = Long.parseLong(Files.readString(lab.sshd().dir().resolve("sshd.pid")).strip());
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(ProcessHandle::destroyForcibly)); // its sessions
            lab.sshd().stop(); // and the listener: sshd is down
            gate.release();
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
            lab.sshd().start();
        }
        String out = Files.readString(dir.resolve("child.out"));
        assertThat(child.exitValue()).as(out).isEqualTo(ExitCodes.FAILED);
        assertThat(out).contains("web1: FAILED at upload", "the SSH connection to web1 dropped during",
                "its sshd stopped, the host went down or the network failed", "live untouched = " + before,
                "check that the host and its sshd are up (`certops hosts check web1`)").doesNotContain("Exception", "inputstream");
        assertThat(servedIsLive()).as("the served certificate did not change").isEqualTo(before);
        historyVerifies();

        CliRun next = certops("deploy", "api", "--version", version);
        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        String now = servedIsLive();
        assertThat(now).isNotEqualTo(before);
        assertThat(lab.releases("web1")).as("the half-uploaded release was removed").allMatch(rel -> rel.compareTo(now) <= 0);
    }

    @Test
    void theHostsDiskFullIsNamedWithWhatToDoAndNothingServedChanges() throws Exception {
        String before = servedIsLive();
        String version = newVersion();
        disk.fill();

        CliRun r = certops("deploy", "api", "--version", version);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out() + r.err()).contains("web1: FAILED at upload", "the host's disk holding " + disk.root(), "is full (",
                "free space on the host (df -h ", "live untouched = " + before).doesNotContain("SSH_FX_FAILURE: Failure", "check the path and its permissions");
        assertThat(servedIsLive()).isEqualTo(before);
        historyVerifies();

        disk.free();
        CliRun next = certops("deploy", "api", "--version", version);
        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        assertThat(servedIsLive()).isNotEqualTo(before);
    }

    /**
     * kill -9 and SIGTERM at each step. {@code outcome} after kill -9: the action the next command records for the
     * unfinished swap (verified, rolled-back, none), or "-" when the killed deploy never swapped (nothing to settle: a
     * partial release is removed). After SIGTERM: what the terminated deploy itself did with the host before it exited
     * (verified: finished; rolled-back: the rollback in progress completed) — nothing is left for the next command.
     */
    @ParameterizedTest(name = "{1} at {0}: {2}")
    @CsvSource({"connect,KILL,-", "upload,KILL,-", "swap,KILL,none", "swapped,KILL,rolled-back", "reloaded,KILL,verified",
            "verified,KILL,verified", "rollback,KILL,rolled-back",
            "connect,TERM,verified", "upload,TERM,verified", "swap,TERM,verified", "swapped,TERM,verified", "reloaded,TERM,verified",
            "verified,TERM,verified", "rollback,TERM,rolled-back"})
    void killDashNineOrSigtermAtEveryStepLeavesNothingServedUnrecordedAndTheNextCommandSettlesIt(String step, String signal, String outcome)
            throws Exception {
        String before = servedIsLive();
        String version = newVersion();
        if (step.equals("rollback")) Files.writeString(failTest, "");
        long recoveredBefore = events(EventKinds.DEPLOY_RECOVERED).size();
        long interruptedBefore = events(EventKinds.DEPLOY_INTERRUPTED).size();
        long leasesBefore = events(EventKinds.LEASE_RELEASED).size();
        gate.stopAt(step);
        Process child = childDeploy(version);
        boolean term = signal.equals("TERM");
        try {
            gate.awaitBlocked(step);
            if (term) {
                child.destroy(); // SIGTERM: the shutdown hook lets the current host finish or roll back, then the JVM exits
                assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("exits once the host is settled").isTrue();
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: nothing of the deploy runs after it
            child.waitFor();
        }
        Files.deleteIfExists(gate.dir().resolve("AT"));
        Files.deleteIfExists(failTest);
        String leftLive = live();
        if (term) {
            String out = Files.readString(dir.resolve("child.out"));
            assertThat(out).contains("certops was asked to stop (SIGTERM): the hosts in progress were finished or rolled back")
                    .doesNotContain("Exception", "\tat ");
            List<HistoryEvent> interrupted = events(EventKinds.DEPLOY_INTERRUPTED);
            assertThat(interrupted).as(out).hasSize((int) interruptedBefore + 1);
            assertThat(interrupted.get(interrupted.size() - 1).details()).contains("SIGTERM", "web1");
            assertThat(events(EventKinds.LEASE_RELEASED)).as("the lease was given back: " + out).hasSize((int) leasesBefore + 1);
            if (outcome.equals("verified")) {
                assertThat(servedIsLive()).as(out).isNotEqualTo(before).isEqualTo(leftLive);
                assertThat(out).contains("web1: verified", ": every host verified.");
            } else {
                assertThat(servedIsLive()).as("the rollback completed: " + out).isEqualTo(before);
                assertThat(out).contains("web1: rolling back — config test failed", "web1: rolled back (why: above)",
                        ": rollout stopped in wave 1 (canary) — first failure: web1.");
            }
            assertThat(child.exitValue()).as(out).isNotZero();
            historyVerifies();
        } else {
            assertThat(leftLive.equals(before)).as("live moved only once the swap ran").isEqualTo(List.of("connect", "upload", "swap").contains(step));
        }

        CliRun next = certops("deploy", "api", "--version", version);

        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        List<HistoryEvent> recovered = events(EventKinds.DEPLOY_RECOVERED);
        if (term || outcome.equals("-")) {
            assertThat(recovered).as("nothing was left unsettled").hasSize((int) recoveredBefore);
            assertThat(next.out()).doesNotContain("Recovered an interrupted deploy");
        } else {
            assertThat(recovered).hasSize((int) recoveredBefore + 1);
            HistoryEvent r = recovered.get(recovered.size() - 1);
            assertThat(r.details()).contains("\"action\":\"" + outcome + "\"");
            assertThat(next.out()).contains("Recovered an interrupted deploy first: web1: ");
            long firstNewUpload = events(EventKinds.DEPLOY_INTENT).stream().filter(e -> e.seq() > r.seq())
                    .filter(e -> e.details().contains("\"step\":\"upload\"")).mapToLong(HistoryEvent::seq).min().orElseThrow();
            assertThat(r.seq()).as("settled before the new deploy touched the host").isLessThan(firstNewUpload);
        }
        String now = servedIsLive();
        assertThat(now).isNotEqualTo(before);
        assertThat(lab.releases("web1")).as("no half-uploaded or unsettled release newer than live is left").allMatch(rel -> rel.compareTo(now) <= 0);
        historyVerifies();
    }
}

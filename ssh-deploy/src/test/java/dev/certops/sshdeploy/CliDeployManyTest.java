package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./certops deploy A B C}: several certificates deployed at once in one process, each to its own host
 * (real sshd, real nginx), each under its own lease; one whose host is down fails alone.
 */
class CliDeployManyTest {
    @TempDir static Path dir;
    static DeployLab lab;

    @BeforeAll
    static void start() throws Exception {
        lab = DeployLab.start(dir);
        lab.addHosts(List.of("web1", "web2", "web3"));
        StringBuilder y = new StringBuilder(lab.configYaml().substring(0, lab.configYaml().indexOf("certificates:")));
        // a host whose SSH port nothing listens on (a machine that is down), otherwise like web1
        HostConfig web1 = lab.host("web1");
        y.append("  - { id: down, address: 127.0.0.1, port: ").append(FreePort.tcp()).append(", user: ").append(web1.user())
                .append(", identity: ").append(web1.identity().orElseThrow()).append(", knownHosts: ssh/known_hosts, certDir: ")
                .append(dir.resolve("down")).append(" }\n");
        y.append("certificates:\n");
        for (String[] c : new String[][] {{"a", "web1"}, {"b", "web2"}, {"c", "web3"}, {"d", "down"}}) {
            y.append("  - { id: ").append(c[0]).append(", names: [localhost], deploy: { waves: [[").append(c[1])
                    .append("]] }, endpoints: [\"127.0.0.1:").append(lab.endpoint(c[0].equals("d") ? "web1" : c[1]).port()).append("\"] }\n");
        }
        Files.writeString(lab.workspace().configFile(), y.toString());
    }

    @AfterAll
    static void stop() { lab.close(); }

    private static CliRun certops(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--workspace", lab.workspace().root().toString()));
        return CliRun.run(Map.of(), "", a.toArray(String[]::new));
    }

    @Test
    void threeCertificatesInOneCommandAreEachServedAndVerifiedUnderTheirOwnLease() throws Exception {
        DeployBundle a = lab.newVersion("a", "many");
        DeployBundle b = lab.newVersion("b", "many");
        DeployBundle c = lab.newVersion("c", "many");
        for (DeployBundle v : List.of(a, b, c)) lab.store(v);
        long leasesBefore = lab.history().query(EventQuery.all().kind(EventKinds.LEASE_ACQUIRED)).size();

        CliRun r = certops("deploy", "a", "b", "c");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("Deploying 3 certificates, up to 3 at once:", "Deployed all 3 certificates (")
                .containsPattern("(?m)^  a  version \\d+ verified on web1 \\(")
                .containsPattern("(?m)^  b  version \\d+ verified on web2 \\(")
                .containsPattern("(?m)^  c  version \\d+ verified on web3 \\(");
        lab.awaitServed("web1", a.leafSha256());
        lab.awaitServed("web2", b.leafSha256());
        lab.awaitServed("web3", c.leafSha256());
        List<HistoryEvent> leases = lab.history().query(EventQuery.all().kind(EventKinds.LEASE_ACQUIRED));
        assertThat(leases.subList((int) leasesBefore, leases.size())).extracting(HistoryEvent::subject).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void oneCertificateWhoseHostIsDownFailsAloneWhileTheOthersCompleteAndTheExitCodeSaysSo() throws Exception {
        DeployBundle a = lab.newVersion("a", "again");
        lab.store(a);
        lab.store(lab.newVersion("d", "nowhere"));

        CliRun r = certops("deploy", "d", "a");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).containsPattern("(?m)^  a  version \\d+ verified on web1 \\(")
                .containsPattern("(?m)^  d  FAILED: version \\d+, rollout stopped in wave 1 \\(canary\\) — down: FAILED at connect")
                .contains("Deployed 1 of 2; 1 failed: d (", "./certops deploy d")
                .doesNotContain("Exception", "dev.certops");
        lab.awaitServed("web1", a.leafSha256());
    }

    @Test
    void aDryRunOfSeveralPrintsEachCertificatesRemoteCommandsAndChangesNothing() throws Exception {
        lab.store(lab.newVersion("b", "dry"));
        lab.store(lab.newVersion("c", "dry"));
        String liveB = lab.liveRelease("web2");

        CliRun r = certops("deploy", "b", "c", "--dry-run");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("## b\n# web2\n", "## c\n# web3\n", "mv -T --", "Dry run: nothing was connected to or changed.");
        assertThat(lab.liveRelease("web2")).isEqualTo(liveB);
    }

    @Test
    void aVersionWithSeveralCertificatesIsAUsageErrorSayingWhy() {
        CliRun r = certops("deploy", "a", "b", "--version", "2");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--version 2 names a stored version of one certificate", "without it (each gets its newest)");
    }
}

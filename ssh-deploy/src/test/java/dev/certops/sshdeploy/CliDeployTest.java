package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.deploy.DeployBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./certops deploy / hosts trust / hosts check end to end: certops.yaml, stored versions, SSH found through ServiceLoader. */
class CliDeployTest {
    @TempDir Path dir;
    private DeployLab lab;

    @BeforeEach
    void start() throws Exception {
        lab = DeployLab.start(dir);
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    private void writeConfig() throws Exception {
        Files.writeString(lab.workspace().configFile(), lab.configYaml());
    }

    private CliRun certops(String stdin, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--workspace");
        a.add(lab.workspace().root().toString());
        return CliRun.run(Map.of(), stdin, a.toArray(String[]::new));
    }

    @Test
    void deployCommandServesTheNewestStoredVersion() throws Exception {
        lab.addHost("web1");
        writeConfig();
        DeployBundle v2 = lab.newVersion("2");
        lab.store(v2);

        CliRun r = certops("", "deploy", "api");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("web1: uploading", "web1: verified", "every host verified");
        lab.awaitServed("web1", v2.leafSha256());
    }

    @Test
    void deployCommandExitsNonZeroWithTheReasonWhenVerificationFails() throws Exception {
        lab.addHostServingElsewhere("web1");
        writeConfig();
        lab.store(lab.newVersion("2"));
        int n = lab.store(lab.newVersion("3"));

        CliRun r = certops("", "deploy", "api", "--version", String.valueOf(n - 1));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("rolling back — verify failed", "still serves", "previous certificate verified served");
        assertThat(r.out().split("still serves", -1)).as("the reason is printed once: " + r.out()).hasSize(2);
        lab.awaitServed("web1", lab.oldSha256());
    }

    @Test
    void dryRunPrintsTheRemoteCommandsAndChangesNothing() throws Exception {
        lab.addHost("web1");
        writeConfig();
        lab.store(lab.newVersion("2"));

        CliRun r = certops("", "deploy", "api", "--dry-run");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("# web1", "read back", "mv -T --", "Dry run: nothing was connected to or changed.");
        assertThat(lab.releases("web1")).containsExactly(DeployLab.INITIAL_RELEASE);
    }

    @Test
    void trustShowsTheFingerprintAndAddsTheKeyOnlyAfterYes() throws Exception {
        lab.addHost("web1");
        writeConfig();
        lab.writeKnownHosts("");

        CliRun no = certops("n\n", "hosts", "trust", "web1");
        assertThat(no.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(Files.readString(lab.workspace().root().resolve("ssh/known_hosts"))).isEmpty();

        CliRun yes = certops("y\n", "hosts", "trust", "web1");
        assertThat(yes.exitCode()).as(yes.err()).isEqualTo(ExitCodes.OK);
        assertThat(yes.out()).contains(lab.sshd().hostKeyFingerprintSha256());

        CliRun check = certops("", "hosts", "check", "web1");
        assertThat(check.exitCode()).as(check.out()).isEqualTo(ExitCodes.OK);
        assertThat(check.out()).contains("host key matches known_hosts", "writable", "releases/" + DeployLab.INITIAL_RELEASE, "config test");

        Path knownHosts = lab.workspace().root().resolve("ssh/known_hosts");
        String trusted = Files.readString(knownHosts);
        CliRun again = certops("", "hosts", "trust", "web1");
        assertThat(again.exitCode()).as(again.out()).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).contains("already trusted").doesNotContain("Trust it?");
        assertThat(Files.readString(knownHosts)).isEqualTo(trusted);
    }

    @Test
    void trustRefusesAChangedHostKeyWithoutAskingAndChangesNothing() throws Exception {
        lab.addHost("web1");
        writeConfig();
        lab.writeKnownHosts("");
        assertThat(certops("y\n", "hosts", "trust", "web1").exitCode()).isEqualTo(ExitCodes.OK);
        Path knownHosts = lab.workspace().root().resolve("ssh/known_hosts");
        // the same host name with another key: what known_hosts says after the host was re-keyed (or impersonated)
        Path other = lab.workspace().root().resolve("other-key");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        String[] line = Files.readString(knownHosts).strip().split(" ");
        String[] otherKey = Files.readString(Path.of(other + ".pub")).strip().split(" ");
        String changed = line[0] + " " + otherKey[0] + " " + otherKey[1] + "\n";
        Files.writeString(knownHosts, changed);

        CliRun r = certops("y\n", "hosts", "trust", "web1");

        assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("REFUSED", "DIFFERENT key", "never replaces a trusted key", "delete the line for " + line[0], "security incident")
                .doesNotContain("Trust it?");
        assertThat(Files.readString(knownHosts)).as("the known key is kept, nothing added").isEqualTo(changed);
    }

    @Test
    void checkReportsAnUnknownHostKeyWithTheWayToTrustIt() throws Exception {
        lab.addHost("web1");
        writeConfig();
        lab.writeKnownHosts("");

        CliRun check = certops("", "hosts", "check");

        assertThat(check.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(check.out()).contains("FAIL", "unknown host key", "./certops hosts trust web1");
    }
}

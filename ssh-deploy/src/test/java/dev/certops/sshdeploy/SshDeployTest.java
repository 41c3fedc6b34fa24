package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.CertificateConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release swap against a real sshd and a real nginx on loopback (this machine, over SSH). */
class SshDeployTest {
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

    @Test
    void newCertificateIsServedAfterDeployAndEveryStepIsInHistory() throws Exception {
        lab.addHost("web1");
        DeployBundle next = lab.newVersion("2");
        List<String> states = Collections.synchronizedList(new ArrayList<>());

        RolloutResult r = lab.deployer(DeploySettings.DEFAULT).deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(), next, Set.of(),
                (h, s, why) -> states.add(s.name()));

        assertThat(r.ok()).as(r.summary()).isTrue();
        lab.awaitServed("web1", next.leafSha256());
        assertThat(lab.liveRelease("web1")).isEqualTo(((HostOutcome.Verified) r.hosts().get(0)).release());
        assertThat(states).containsSubsequence("UPLOADING", "TESTING", "RELOADING", "VERIFYING", "VERIFIED");
        List<String> steps = lab.history().query(EventQuery.all().kind(EventKinds.DEPLOY_STEP)).stream().map(HistoryEvent::details).toList();
        assertThat(String.join("\n", steps)).contains("\"step\":\"connect\"", "\"step\":\"upload\"", "\"step\":\"swap\"",
                "\"step\":\"test\"", "\"step\":\"reload\"", "\"step\":\"verify\"");
        assertThat(lab.history().query(EventQuery.all().kind(EventKinds.DEPLOY_HOST_FINISHED))).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo("ok"));
        assertThat(lab.history().query(EventQuery.all().kind(EventKinds.DEPLOY_FINISHED))).hasSize(1);
        assertThat(String.join("\n", steps)).doesNotContain("PRIVATE KEY");
    }

    @Test
    void failingConfigTestMeansNoReloadAndTheOldReleaseStaysLive() throws Exception {
        lab.addHost("web1");
        String before = lab.liveRelease("web1");
        lab.breakNginxConfig();

        RolloutResult r = lab.deployer(DeploySettings.DEFAULT).deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(), lab.newVersion("2"), Set.of(), (h, s, w) -> { });

        assertThat(r.ok()).isFalse();
        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> {
            assertThat(rb.step()).isEqualTo("config test");
            assertThat(rb.reason()).contains("nginx");
            assertThat(rb.restoredVerified()).isTrue();
        });
        assertThat(lab.liveRelease("web1")).isEqualTo(before);
        lab.awaitServed("web1", lab.oldSha256());
        assertThat(lab.history().query(EventQuery.all().kind(EventKinds.DEPLOY_STEP)).stream().map(HistoryEvent::details))
                .noneMatch(d -> d.contains("\"step\":\"reload\""));
    }

    @Test
    void servedOldCertificateAfterReloadRollsBackAndVerifiesTheOldOne() throws Exception {
        lab.addHostServingElsewhere("web1");
        String before = lab.liveRelease("web1");

        RolloutResult r = lab.deployer(DeploySettings.DEFAULT.withVerifyDeadline(Duration.ofSeconds(2)))
                .deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(), lab.newVersion("2"), Set.of(), (h, s, w) -> { });

        assertThat(r.ok()).isFalse();
        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> {
            assertThat(rb.step()).isEqualTo("verify");
            assertThat(rb.reason()).contains("still serves");
            assertThat(rb.restoredVerified()).isTrue();
        });
        assertThat(r.summary()).contains("rolled back after verify failed", "previous certificate verified served");
        assertThat(lab.liveRelease("web1")).isEqualTo(before);
        assertThat(lab.history().query(EventQuery.all().kind(EventKinds.DEPLOY_ROLLBACK))).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("\"verified\":true"));
    }

    @Test
    void droppedConnectionDuringUploadLeavesLiveUntouchedAndTheNextDeployCleansUp() throws Exception {
        lab.addHost("web1");
        String before = lab.liveRelease("web1");

        RolloutResult r = lab.deployerKillingSshdOnWrite(2).deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(), lab.newVersion("2"), Set.of(), (h, s, w) -> { });

        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.Failed.class, f -> {
            assertThat(f.step()).as(f.summary()).isEqualTo("upload");
            assertThat(f.liveTouched()).isFalse();
        });
        assertThat(lab.liveRelease("web1")).isEqualTo(before);
        lab.awaitServed("web1", lab.oldSha256());
        assertThat(lab.releases("web1")).hasSize(2); // the old one and the partial one

        DeployBundle again = lab.newVersion("3");
        RolloutResult second = lab.deployer(DeploySettings.DEFAULT).deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(), again, Set.of(), (h, s, w) -> { });

        assertThat(second.ok()).as(second.summary()).isTrue();
        assertThat(lab.releases("web1")).containsExactly(before, lab.liveRelease("web1"));
        lab.awaitServed("web1", again.leafSha256());
    }

    @Test
    void aFileDamagedOnTheWayIsCaughtByItsChecksumBeforeTheSwap() throws Exception {
        lab.addHost("web1");
        String before = lab.liveRelease("web1");

        RolloutResult r = lab.deployerDamagingWrite(4).deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(), lab.newVersion("2"), Set.of(), (h, s, w) -> { });

        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.Failed.class, f -> {
            assertThat(f.step()).isEqualTo("upload");
            assertThat(f.reason()).contains("privkey.pem arrived damaged", "SHA-256 on the host");
            assertThat(f.liveTouched()).isFalse();
        });
        assertThat(lab.liveRelease("web1")).isEqualTo(before);
        lab.awaitServed("web1", lab.oldSha256());
    }

    @Test
    void canaryFailureStopsTheOtherWaves() throws Exception {
        lab.addHostServingElsewhere("canary");
        lab.addHost("web2");
        lab.addHost("web3");

        RolloutResult r = lab.deployer(DeploySettings.DEFAULT.withVerifyDeadline(Duration.ofSeconds(1)))
                .deploy(lab.certificate(List.of(List.of("canary"), List.of("web2", "web3"))), lab.hosts(), lab.newVersion("2"), Set.of(), (h, s, w) -> { });

        assertThat(r.stoppedAt()).contains(0);
        assertThat(r.hosts()).extracting(HostOutcome::hostId).containsExactly("canary", "web2", "web3");
        assertThat(r.hosts().subList(1, 3)).allMatch(h -> h instanceof HostOutcome.Skipped);
        assertThat(lab.releases("web2")).hasSize(1);
        lab.awaitServed("web2", lab.oldSha256());
        assertThat(r.summary()).contains("canary", "not attempted");
    }

    @Test
    void dryRunListsEveryRemoteCommandAndWritesNothing() throws Exception {
        lab.addHost("web1");
        RolloutResult r = lab.deployer(DeploySettings.DEFAULT.withDryRun(true)).deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(), lab.newVersion("2"), Set.of(), (h, s, w) -> { });

        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.Planned.class, p -> assertThat(String.join("\n", p.commands()))
                .contains("mkdir -p -m 755 --", "privkey.pem", "read back", "ln -sfn --", "mv -T --", "nginx", "TLS handshake to"));
        assertThat(lab.releases("web1")).hasSize(1);
        assertThat(lab.history().count()).isZero();
    }

    @Test
    void operatorRollbackPutsThePreviousReleaseBackAndVerifiesIt() throws Exception {
        lab.addHost("web1");
        String before = lab.liveRelease("web1");
        CertificateConfig cert = lab.certificate(List.of(List.of("web1")));
        assertThat(lab.deployer(DeploySettings.DEFAULT).deploy(cert, lab.hosts(), lab.newVersion("2"), Set.of(), (h, s, w) -> { }).ok()).isTrue();

        HostOutcome o = lab.deployer(DeploySettings.DEFAULT).rollback(cert, lab.hosts(), "web1", (h, s, w) -> { });

        assertThat(o).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> assertThat(rb.restoredVerified()).isTrue());
        assertThat(lab.liveRelease("web1")).isEqualTo(before);
        lab.awaitServed("web1", lab.oldSha256());
    }

    @Test
    void expiredOrMismatchedVersionIsRefusedBeforeConnecting() throws Exception {
        lab.addHost("web1");
        assertThatThrownBy(() -> lab.deployer(DeploySettings.DEFAULT).deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(),
                lab.versionWithForeignKey("2"), Set.of(), (h, s, w) -> { }))
                .isInstanceOf(DeployException.class).hasMessageContaining("privkey.pem does not belong to cert.pem");
        assertThat(lab.releases("web1")).hasSize(1);
        assertThat(lab.history().count()).isZero();
    }
}

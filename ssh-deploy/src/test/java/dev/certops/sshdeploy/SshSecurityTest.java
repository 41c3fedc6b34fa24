package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.ExecResult;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.HostKeys;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import dev.certops.sshdeploy.connection.HostKeyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys and hostile inputs against a real sshd: refused before anything is uploaded or run. */
class SshSecurityTest {
    @TempDir Path dir;
    private DeployLab lab;

    @BeforeEach
    void start() throws Exception {
        lab = DeployLab.start(dir);
        lab.addHost("web1");
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    private RolloutResult deploy() throws Exception {
        return lab.deployer(DeploySettings.DEFAULT).deploy(lab.certificate(List.of(List.of("web1"))), lab.hosts(), lab.newVersion("2"), Set.of(), (h, s, w) -> { });
    }

    @Test
    void unknownHostKeyIsRefusedWithItsFingerprintBeforeAnyUpload() throws Exception {
        lab.writeKnownHosts("");
        String fingerprint = lab.sshd().hostKeyFingerprintSha256();

        RolloutResult r = deploy();

        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.Failed.class, f -> {
            assertThat(f.step()).isEqualTo("host-key");
            assertThat(f.reason()).contains("unknown host key", fingerprint, "./certops hosts trust web1");
        });
        assertThat(lab.releases("web1")).hasSize(1);
    }

    @Test
    void changedHostKeyIsRefusedBeforeAnyUpload() throws Exception {
        lab.sshd().regenerateHostKey();

        RolloutResult r = deploy();

        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.Failed.class, f -> {
            assertThat(f.step()).isEqualTo("host-key");
            assertThat(f.reason()).contains("HOST KEY CHANGED", "Refused");
        });
        assertThat(lab.releases("web1")).hasSize(1);
        lab.awaitServed("web1", lab.oldSha256());
    }

    @Test
    void hashedKnownHostsEntriesAreUnderstood() throws Exception {
        lab.writeKnownHosts(lab.hashedKnownHostsLine());
        assertThat(deploy().ok()).isTrue();
    }

    @Test
    void connectingWithAnUnknownKeyThrowsTheFingerprint() throws Exception {
        lab.writeKnownHosts("");
        String fingerprint = lab.sshd().hostKeyFingerprintSha256();
        assertThatThrownBy(() -> lab.connector().open(lab.host("web1")))
                .isInstanceOfSatisfying(HostKeyException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HostKeyException.Kind.UNKNOWN);
                    assertThat(e.fingerprint()).isEqualTo(fingerprint);
                });
    }

    @Test
    void trustAppendsTheScannedKeySoTheNextConnectionSucceeds() throws Exception {
        lab.writeKnownHosts("");
        HostKeys keys = lab.connector();
        HostKeys.HostKeyInfo info = keys.scan(lab.host("web1"));
        assertThat(info.fingerprint()).isEqualTo(lab.sshd().hostKeyFingerprintSha256());
        assertThat(info.listed()).isEqualTo(HostKeys.Listed.NOT_LISTED);

        keys.trust(lab.host("web1"), info);
        assertThat(keys.scan(lab.host("web1")).listed()).as("read again: listed as this key").isEqualTo(HostKeys.Listed.TRUSTED);

        try (HostChannel ch = lab.connector().open(lab.host("web1"))) {
            assertThat(ch.exec(List.of("true"), Duration.ofSeconds(5)).ok()).isTrue();
        }
    }

    @Test
    void trustRefusesToAddAKeyWhenADifferentOneIsListed() throws Exception {
        HostKeys.HostKeyInfo old = lab.connector().scan(lab.host("web1"));
        lab.sshd().regenerateHostKey();
        HostKeys.HostKeyInfo now = lab.connector().scan(lab.host("web1"));
        assertThat(now.fingerprint()).isNotEqualTo(old.fingerprint());
        assertThat(now.listed()).as("the scan already says so, before anyone is asked to trust it").isEqualTo(HostKeys.Listed.CHANGED);
        assertThat(now.knownHostsFile()).endsWith("known_hosts");
        assertThatThrownBy(() -> lab.connector().trust(lab.host("web1"), now)).isInstanceOf(DeployException.class).hasMessageContaining("DIFFERENT key");
    }

    @Test
    void hostileArgumentsAreQuotedAndNeverRunOnTheHost() throws Exception {
        Path marker = dir.resolve("pwned");
        String hostile = "x; touch " + marker + " $(touch " + marker + ") `touch " + marker + "`\ntouch " + marker;
        try (HostChannel ch = lab.connector().open(lab.host("web1"))) {
            ExecResult r = ch.exec(List.of("printf", "%s", hostile), Duration.ofSeconds(5));
            assertThat(r.stdout()).isEqualTo(hostile.strip());
            ch.exec(List.of("ls", "--", "/tmp/" + hostile), Duration.ofSeconds(5));
            assertThat(ch.read("/nonexistent/x; touch " + marker + " $(touch " + marker + ")")).isEmpty();
            assertThatThrownBy(() -> ch.read("/nonexistent/" + hostile)).isInstanceOf(DeployException.class).hasMessageContaining("not a plain absolute path");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void hostileCertDirHostIdAndCertificateIdAreRejectedBeforeConnecting() throws Exception {
        Path marker = dir.resolve("pwned");
        HostConfig good = lab.host("web1");
        for (String certDir : List.of(good.certDir() + "; touch " + marker, good.certDir() + "/$(touch " + marker + ")",
                good.certDir() + "/`touch " + marker + "`", good.certDir() + "/../x", good.certDir() + "/a b", good.certDir() + "\ntouch " + marker)) {
            HostConfig bad = lab.withCertDir(good, certDir);
            assertThatThrownBy(() -> lab.deployer(DeploySettings.DEFAULT).deploy(lab.certificate(List.of(List.of("web1"))), List.of(bad), lab.newVersion("2"), Set.of(), (h, s, w) -> { }))
                    .isInstanceOf(DeployException.class).hasMessageContaining("certDir").hasMessageContaining("nothing was sent");
        }
        for (String id : List.of("web1;touch", "$(touch x)", "`id`", "..", "a b")) {
            assertThatThrownBy(() -> lab.deployer(DeploySettings.DEFAULT).deploy(lab.certificate(List.of(List.of(id))), List.of(lab.withId(good, id)), lab.newVersion("2"), Set.of(), (h, s, w) -> { }))
                    .isInstanceOf(DeployException.class).hasMessageContaining("not a valid id");
        }
        DeployBundle v = lab.newVersion("2");
        DeployBundle hostileCert = new DeployBundle("$(touch " + marker + ")", "2", v.leafPem(), v.chainPem(), v.keyPem());
        assertThatThrownBy(() -> lab.deployer(DeploySettings.DEFAULT).deploy(lab.certificateWithId(hostileCert.certificateId(), List.of(List.of("web1"))), lab.hosts(), hostileCert, Set.of(), (h, s, w) -> { }))
                .isInstanceOf(DeployException.class).hasMessageContaining("certificate id");
        assertThat(marker).doesNotExist();
        assertThat(lab.releases("web1")).hasSize(1);
        assertThat(Optional.ofNullable(lab.history().count())).contains(0L);
    }
}

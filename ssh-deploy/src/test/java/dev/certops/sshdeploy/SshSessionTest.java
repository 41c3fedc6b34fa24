package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.HostChannel;
import dev.certops.sshdeploy.connection.SshConnection;
import dev.certops.sshdeploy.connection.SshOptions;
import dev.certops.sshdeploy.connection.SshSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identities and jump hosts against a real sshd. */
class SshSessionTest {
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

    private HostConfig with(HostConfig h, String identity, Optional<String> jump, String id) {
        return new HostConfig(id, false, h.address(), h.port(), h.user(), Optional.of(identity), h.knownHosts(), jump, h.service(),
                h.test(), h.reload(), h.certDir(), h.webroot(), h.keepReleases());
    }

    private String whoami(SshHostConnector c, HostConfig h) throws DeployException {
        try (HostChannel ch = c.open(h)) {
            return ch.exec(List.of("id", "-un"), Duration.ofSeconds(10)).stdout();
        }
    }

    @Test
    void passphraseProtectedIdentityUsesTheStoredPassphrase() throws Exception {
        Path key = lab.sshd().userKeyWithPassphrase("correct horse");
        HostConfig h = with(lab.host("web1"), key.toString(), Optional.empty(), "web1");
        SshHostConnector c = new SshHostConnector(new SshSessions(lab.workspace(),
                SshOptions.defaults(f -> f.equals(key) ? Optional.of("correct horse".toCharArray()) : Optional.empty()), id -> Optional.empty()));

        assertThat(whoami(c, h)).isEqualTo(lab.sshd().user());
    }

    @Test
    void passphraseProtectedIdentityWithoutPassphraseSaysWhatToDo() throws Exception {
        Path key = lab.sshd().userKeyWithPassphrase("correct horse");
        HostConfig h = with(lab.host("web1"), key.toString(), Optional.empty(), "web1");
        SshHostConnector c = new SshHostConnector(new SshSessions(lab.workspace(), SshOptions.defaults(f -> Optional.empty()), id -> Optional.empty()));

        assertThatThrownBy(() -> c.open(h)).isInstanceOf(DeployException.class)
                .hasMessageContaining("passphrase-protected").hasMessageContaining("secrets/id_ed25519_pass.passphrase");
    }

    @Test
    void providerReadsThePassphraseFromTheWorkspaceSecrets() throws Exception {
        Path key = lab.sshd().userKeyWithPassphrase("correct horse");
        Files.createDirectories(lab.workspace().secretsDir());
        Files.writeString(lab.workspace().secretsDir().resolve("id_ed25519_pass.passphrase"), "correct horse\n");
        HostConfig h = with(lab.host("web1"), key.toString(), Optional.empty(), "web1");

        SshHostConnector c = (SshHostConnector) new SshHostConnectorProvider().create(lab.workspace());

        assertThat(whoami(c, h)).isEqualTo(lab.sshd().user());
    }

    @Test
    void jumpHostCarriesTheConnectionAndTheTargetKeyIsStillChecked() throws Exception {
        HostConfig bastion = with(lab.host("web1"), lab.sshd().userKey().toString(), Optional.empty(), "bastion");
        HostConfig target = with(lab.host("web1"), lab.sshd().userKey().toString(), Optional.of("bastion"), "web1");
        Map<String, HostConfig> hosts = Map.of("bastion", bastion, "web1", target);
        SshSessions sessions = new SshSessions(lab.workspace(), SshOptions.defaults(f -> Optional.empty()), id -> Optional.ofNullable(hosts.get(id)));
        SshHostConnector c = new SshHostConnector(sessions);

        try (SshConnection conn = sessions.connect(target)) {
            assertThat(conn.jump()).isNotNull();
            assertThat(conn.jump().isConnected()).isTrue();
            assertThat(conn.session().getPort()).isNotEqualTo(target.port());
            assertThat(new SshHostChannel(conn).exec(List.of("id", "-un"), Duration.ofSeconds(10)).stdout()).isEqualTo(lab.sshd().user());
        }
        HostConfig targetWithEmptyKnownHosts = new HostConfig("web1", false, target.address(), target.port(), target.user(), target.identity(),
                Optional.of(dir.resolve("empty_known_hosts").toString()), target.jump(), target.service(), target.test(), target.reload(),
                target.certDir(), target.webroot(), target.keepReleases());
        Files.writeString(dir.resolve("empty_known_hosts"), "");
        assertThatThrownBy(() -> c.open(targetWithEmptyKnownHosts)).isInstanceOf(DeployException.class).hasMessageContaining("unknown host key");
    }
}

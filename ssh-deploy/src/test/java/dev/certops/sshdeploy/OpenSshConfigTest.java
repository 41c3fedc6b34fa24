package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.HostConfig;
import dev.certops.config.Workspace;
import dev.certops.deploy.ExecResult;
import dev.certops.deploy.HostChannel;
import dev.certops.sshdeploy.connection.SshOptions;
import dev.certops.sshdeploy.connection.SshSessions;
import dev.certops.testing.Poll;
import dev.certops.testing.SshdFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host entry that names only a Host alias of an OpenSSH config, reached through a ProxyJump on a second real sshd. */
class OpenSshConfigTest {
    @TempDir Path dir;

    @Test
    void aHostAliasWithUserPortIdentityAndProxyJumpIsReachedThroughTheBastion() throws Exception {
        try (SshdFixture bastion = SshdFixture.start(dir.resolve("bastion")); SshdFixture target = SshdFixture.start(dir.resolve("target"))) {
            Workspace ws = new Workspace(dir.resolve("ws"));
            Files.createDirectories(ws.root().resolve("ssh"));
            Files.writeString(ws.root().resolve("ssh/known_hosts"), bastion.knownHostsLine() + "\n" + target.knownHostsLine() + "\n");
            Files.writeString(ws.root().resolve("ssh/config"), String.join("\n",
                    "Host bastion",
                    "  HostName 127.0.0.1",
                    "  Port " + bastion.port(),
                    "  User " + bastion.user(),
                    "  IdentityFile " + bastion.userKey(),
                    "Host web-prod",
                    "  HostName 127.0.0.1",
                    "  Port " + target.port(),
                    "  User " + target.user(),
                    "  IdentityFile " + target.userKey(),
                    "  ProxyJump bastion",
                    ""));
            HostConfig alias = new HostConfig("web1", false, "web-prod", 22, "nobody-from-yaml-defaults", Optional.empty(), Optional.of("ssh/known_hosts"),
                    Optional.empty(), "custom", Optional.of("true"), Optional.of("true"), "/tmp", Optional.empty(), 5, Optional.empty(), false,
                    Optional.of("ssh/config"), Set.of());
            SshHostConnector connector = new SshHostConnector(new SshSessions(ws, SshOptions.defaults(p -> Optional.empty()), id -> Optional.empty()));

            try (HostChannel ch = connector.open(alias)) {
                ExecResult r = ch.exec(List.of("sh", "-c", "echo \"$SSH_CONNECTION\""), Duration.ofSeconds(10));
                assertThat(r.ok()).isTrue();
                assertThat(r.stdout()).as("the target's sshd sees the connection on its own port").endsWith(" " + target.port());
            }
            Poll.until(Duration.ofSeconds(5), () -> Files.readString(bastion.dir().resolve("sshd.log")).contains("Accepted publickey"), "a login on the bastion");
            assertThat(Files.readString(target.dir().resolve("sshd.log"))).contains("Accepted publickey for " + target.user());
        }
    }
}

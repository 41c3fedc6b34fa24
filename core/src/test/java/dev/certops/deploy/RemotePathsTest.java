package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.HostConfig;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RemotePathsTest {

    static HostConfig host(String id, String certDir) {
        return new HostConfig(id, false, "127.0.0.1", 22, "root", Optional.empty(), Optional.empty(), Optional.empty(), "nginx",
                Optional.empty(), Optional.empty(), certDir, Optional.empty(), 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/srv/certs; touch /tmp/x", "/srv/$(id)", "/srv/`id`", "/srv/../etc", "/srv/a b", "/srv/a\nb", "relative/dir", "/"})
    void hostileCertDirIsRejectedBeforeAnyConnection(String certDir) {
        assertThatThrownBy(() -> RemotePaths.forHost(host("web1", certDir)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("certDir")
                .hasMessageContaining("nothing was sent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web;rm", "$(id)", "`id`", "..", "a b", "a\nb", "../x"})
    void hostileHostIdIsRejected(String id) {
        assertThatThrownBy(() -> RemotePaths.forHost(host(id, "/srv/certs"))).isInstanceOf(DeployException.class).hasMessageContaining("host id");
    }

    @Test
    void liveLinkTargetsAreRelativeAndOnlyOurReleaseNamesAreAccepted() {
        RemotePaths p = new RemotePaths("/srv/certs/");
        assertThat(p.live()).isEqualTo("/srv/certs/live");
        assertThat(p.file("20261123T071613123Z-0a1b2c3d", "privkey.pem")).isEqualTo("/srv/certs/releases/20261123T071613123Z-0a1b2c3d/privkey.pem");
        assertThat(RemotePaths.releaseOf("releases/20261123T071613123Z-0a1b2c3d")).contains("20261123T071613123Z-0a1b2c3d");
        assertThat(RemotePaths.releaseOf("/etc/passwd")).isEmpty();
        assertThatThrownBy(() -> p.release("../../etc")).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalHostChannelTest {
    @TempDir Path dir;
    private final HostChannel ch = new LocalHostChannel("local");

    @Test
    void writeIsAtomicAndAppliesTheModeBeforeTheFileAppears() throws Exception {
        String key = dir.resolve("privkey.pem").toString();
        ch.write(key, "secret-bytes".getBytes(), 0600);
        assertThat(Files.getPosixFilePermissions(Path.of(key))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(ch.read(key)).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("secret-bytes"));
        assertThat(ch.list(dir.toString())).containsExactly("privkey.pem");
    }

    @Test
    void readingAMissingFileIsEmptyNotAnError() throws Exception {
        assertThat(ch.read(dir.resolve("nope").toString())).isEmpty();
        assertThat(ch.list(dir.resolve("nodir").toString())).isEmpty();
    }

    @Test
    void execPassesHostileArgumentsAsOneWordWithoutAShell() throws Exception {
        Path marker = dir.resolve("pwned");
        ExecResult r = ch.exec(List.of("printf", "%s", "x; touch " + marker + " $(touch " + marker + ") `touch " + marker + "`"), Duration.ofSeconds(5));
        assertThat(r.ok()).isTrue();
        assertThat(r.stdout()).startsWith("x; touch ");
        assertThat(marker).doesNotExist();
    }

    @Test
    void configuredCommandRunsThroughTheShellAndReportsItsFailure() throws Exception {
        ExecResult r = ch.execConfigured("echo broken config >&2; exit 3", Duration.ofSeconds(5));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("broken config");
    }

    @Test
    void aCommandThatHangsIsStoppedAtItsTimeout() {
        assertThatThrownBy(() -> ch.exec(List.of("sleep", "30"), Duration.ofMillis(300)))
                .isInstanceOf(DeployException.class).hasMessageContaining("did not finish within");
    }

    @Test
    void readLinkShowsTheSymlinkTarget() throws Exception {
        Files.createDirectories(dir.resolve("releases/r1"));
        Files.createSymbolicLink(dir.resolve("live"), Path.of("releases/r1"));
        assertThat(ch.readLink(dir.resolve("live").toString())).contains("releases/r1");
        assertThat(ch.readLink(dir.resolve("releases").toString())).isEmpty();
    }

    @Test
    void replaceLinkSwapsAnExistingLinkInOneRename() throws Exception {
        Files.createDirectories(dir.resolve("releases/a"));
        Files.createDirectories(dir.resolve("releases/b"));
        String live = dir.resolve("live").toString();
        ch.replaceLink("releases/a", live, Duration.ofSeconds(5));
        ch.replaceLink("releases/b", live, Duration.ofSeconds(5));
        assertThat(ch.readLink(live)).contains("releases/b");
        assertThat(dir.resolve("live.tmp")).doesNotExist();
    }
}

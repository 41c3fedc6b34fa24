package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config test and the reload in one shell, through a real /bin/sh. */
class TestThenReloadTest {
    @TempDir Path dir;
    private final HostChannel ch = new LocalHostChannel("local");

    @Test
    void failingTestMeansTheReloadNeverRuns() throws Exception {
        Path reloaded = dir.resolve("reloaded");
        TestThenReload r = TestThenReload.parse(ch.execConfigured(TestThenReload.commandLine(
                "echo 'nginx: [emerg] bad directive' >&2; exit 1", "touch " + reloaded), Duration.ofSeconds(5)));

        assertThat(r.test().exitCode()).isEqualTo(1);
        assertThat(r.test().output()).isEqualTo("nginx: [emerg] bad directive");
        assertThat(r.reload()).isEmpty();
        assertThat(reloaded).doesNotExist();
    }

    @Test
    void passingTestIsFollowedByTheReloadWithSeparateOutputs() throws Exception {
        Path reloaded = dir.resolve("reloaded");
        TestThenReload r = TestThenReload.parse(ch.execConfigured(TestThenReload.commandLine(
                "echo syntax is ok # a comment the operator wrote", "touch " + reloaded + " && echo reloaded; exit 3"), Duration.ofSeconds(5)));

        assertThat(r.test().ok()).isTrue();
        assertThat(r.test().stdout()).isEqualTo("syntax is ok");
        assertThat(r.reload()).hasValueSatisfying(x -> {
            assertThat(x.exitCode()).isEqualTo(3);
            assertThat(x.stdout()).isEqualTo("reloaded");
        });
        assertThat(reloaded).exists();
    }
}

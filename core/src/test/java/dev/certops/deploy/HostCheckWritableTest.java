package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hosts check asks once per login whether each certificate folder may be written: host entries of
 * one machine with a folder that exists, one not made yet and one under a folder nobody may write
 * (/proc/1, even for root) each get their own answer from the one command.
 */
class HostCheckWritableTest {
    @TempDir Path dir;

    private static HostConfig local(String id, String certDir) {
        return new HostConfig(id, false, HostConfig.LOCAL, 22, "root", Optional.empty(), Optional.empty(), Optional.empty(), "custom",
                Optional.of("true"), Optional.of("true"), certDir, Optional.empty(), 5);
    }

    @Test
    void eachHostEntryOfOneLoginGetsItsOwnFolderAnswerFromTheSharedCheck() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("a/ssl"));
        Path notYet = dir.resolve("b/not/yet");
        List<HostConfig> hosts = List.of(local("a", existing.toString()), local("b", notYet.toString()), local("c", "/proc/1/certops"));

        List<List<HostCheck.Line>> r = HostCheck.runAll(new HostConnectors(List.of(new LocalHostConnector())), hosts, h -> List.of(),
                Duration.ofSeconds(30));

        assertThat(certDir(r.get(0))).satisfies(l -> assertThat(l.ok()).isTrue())
                .extracting(HostCheck.Line::detail).asString().contains(existing + " writable (nearest existing folder: " + existing + ")");
        assertThat(certDir(r.get(1))).satisfies(l -> assertThat(l.ok()).isTrue())
                .extracting(HostCheck.Line::detail).asString().contains("(nearest existing folder: " + dir + ")");
        assertThat(certDir(r.get(2))).satisfies(l -> assertThat(l.ok()).isFalse())
                .extracting(HostCheck.Line::detail).asString().startsWith("/proc/1 is not writable by root — create /proc/1/certops");
    }

    private static HostCheck.Line certDir(List<HostCheck.Line> lines) {
        return lines.stream().filter(l -> l.what().equals("certDir")).findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
    }
}

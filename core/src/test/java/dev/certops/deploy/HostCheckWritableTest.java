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
 * hosts check asks once per login whether each certificate folder may be written and where its live
 * link points: host entries of one machine with a folder that exists (live on a release), one not
 * made yet, one under a folder nobody may write (/proc/1, even for root) and one whose live is a
 * plain folder each get their own answer from the one command.
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
        Files.createDirectories(existing.resolve("releases/20200101T000000000Z-0a"));
        Files.createSymbolicLink(existing.resolve("live"), Path.of("releases/20200101T000000000Z-0a"));
        Path notYet = dir.resolve("b/not/yet");
        Path handMade = Files.createDirectories(dir.resolve("d/ssl/live"));
        List<HostConfig> hosts = List.of(local("a", existing.toString()), local("b", notYet.toString()), local("c", "/proc/1/certops"),
                local("d", handMade.getParent().toString()));

        List<List<HostCheck.Line>> r = HostCheck.runAll(new HostConnectors(List.of(new LocalHostConnector())), hosts, h -> List.of(),
                Duration.ofSeconds(30));

        assertThat(certDir(r.get(0))).satisfies(l -> assertThat(l.ok()).isTrue())
                .extracting(HostCheck.Line::detail).asString().contains(existing + " writable (nearest existing folder: " + existing + ")");
        assertThat(certDir(r.get(1))).satisfies(l -> assertThat(l.ok()).isTrue())
                .extracting(HostCheck.Line::detail).asString().contains("(nearest existing folder: " + dir + ")");
        assertThat(certDir(r.get(2))).satisfies(l -> assertThat(l.ok()).isFalse())
                .extracting(HostCheck.Line::detail).asString().startsWith("/proc/1 is not writable by root — create /proc/1/certops");
        assertThat(line(r.get(0), "live")).isEqualTo(new HostCheck.Line("live", true, existing.resolve("live") + " -> releases/20200101T000000000Z-0a"));
        assertThat(line(r.get(1), "live").detail()).startsWith("no release yet");
        assertThat(line(r.get(3), "live")).satisfies(l -> assertThat(l.ok()).isFalse())
                .extracting(HostCheck.Line::detail).asString().contains(handMade + " exists but is not a symbolic link");
    }

    private static HostCheck.Line line(List<HostCheck.Line> lines, String what) {
        return lines.stream().filter(l -> l.what().equals(what)).findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
    }

    private static HostCheck.Line certDir(List<HostCheck.Line> lines) { return line(lines, "certDir"); }
}

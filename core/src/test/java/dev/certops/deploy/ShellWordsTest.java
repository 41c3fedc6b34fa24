package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellWordsTest {
    @TempDir Path dir;

    @Test
    void hostileArgumentsReachTheProgramAsOneWordEachThroughARealShell() throws Exception {
        Path marker = dir.resolve("pwned");
        List<String> args = List.of("a b", "x; touch " + marker, "$(touch " + marker + ")", "`touch " + marker + "`",
                "it's", "line1\nline2", "*", "", "--", "\"quoted\"", "$HOME");
        String line = ShellWords.join(List.of("printf", "[%s]\\n")) + " " + String.join(" ", args.stream().map(ShellWords::quote).toList());
        Process p = new ProcessBuilder("/bin/sh", "-c", line).directory(dir.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        StringBuilder expected = new StringBuilder();
        for (String a : args) expected.append('[').append(a).append("]\n");
        assertThat(out).isEqualTo(expected.toString());
        assertThat(marker).doesNotExist();
    }

    @Test
    void plainWordsStayReadable() {
        assertThat(ShellWords.join(List.of("mv", "-T", "--", "/etc/ssl/certops/live.tmp", "/etc/ssl/certops/live")))
                .isEqualTo("mv -T -- /etc/ssl/certops/live.tmp /etc/ssl/certops/live");
    }
}

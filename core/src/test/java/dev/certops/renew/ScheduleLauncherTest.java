package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleLauncherTest {
    @TempDir Path dir;

    @Test
    void theCheckoutsLauncherNamedByItsPropertyIsTakenAtItsRealPathAndRuns() throws Exception {
        Path script = dir.resolve("checkout/certops");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\necho 'certops 0.1.0'\n");
        script.toFile().setExecutable(true);
        Path link = Files.createSymbolicLink(dir.resolve("certops-link"), script);
        String before = System.getProperty(ScheduleLauncher.PROPERTY);
        System.setProperty(ScheduleLauncher.PROPERTY, link.toString()); // what ./certops passes: -Dcertops.launcher=$here/certops
        try {
            assertThat(ScheduleLauncher.running(Map.of(ScheduleLauncher.ENV, "/elsewhere/certops"))).hasValue(script.toRealPath());
            assertThat(ScheduleLauncher.check(script)).isEqualTo("certops 0.1.0");
        } finally {
            if (before == null) System.clearProperty(ScheduleLauncher.PROPERTY);
            else System.setProperty(ScheduleLauncher.PROPERTY, before);
        }
    }

    @Test
    void withoutALauncherThatSaidWhereItIsThereIsNoGuess() {
        assertThat(ScheduleLauncher.running(Map.of())).isEmpty();
    }
}

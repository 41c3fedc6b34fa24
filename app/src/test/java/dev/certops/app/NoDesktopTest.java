package dev.certops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./certops} without a desktop session: one clear line, exit 2, no stack trace. */
class NoDesktopTest {
    @TempDir Path dir;

    private record Result(int code, List<String> err) { }

    private Result launch(String display) throws IOException, InterruptedException {
        return launch(display, Launcher.class.getName());
    }

    private Result launch(String display, String... mainAndJvmOptions) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(mainAndJvmOptions));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        if (display != null) pb.environment().put("DISPLAY", display);
        pb.environment().put("CERTOPS_HOME", dir.resolve("ws").toString());
        Path err = dir.resolve("err.txt");
        pb.redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 60 s");
        }
        return new Result(p.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    @Test
    void withoutDisplayTheConsoleSaysItNeedsADesktopInOneLineAndExitsTwo() throws Exception {
        Result r = launch(null);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).containsExactly(Launcher.NO_DESKTOP);
        assertThat(Launcher.NO_DESKTOP).contains("./certops --help");
    }

    @Test
    void aDisplayWithNoServerBehindItGivesTheSameOneLine() throws Exception {
        Result r = launch(":" + (90 + (int) (ProcessHandle.current().pid() % 9)) + "7");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).as("stderr").contains(Launcher.NO_DESKTOP).noneMatch(l -> l.contains("Exception") || l.contains("\tat "));
    }

    @Test
    void javaFxStartedFromTheClasspathPrintsNoUnsupportedConfigurationWarning() throws Exception {
        Result r = launch(null, "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", FxStartProbe.class.getName());
        assertThat(Files.readString(dir.resolve("out.txt"))).as("stderr: " + r.err()).contains("JavaFX started");
        assertThat(r.err()).noneMatch(l -> l.contains("Unsupported JavaFX configuration"));
        assertThat(r.code()).isZero();
    }
}

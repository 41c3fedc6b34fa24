package dev.certops.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The renderer the console asks JavaFX for before its toolkit starts. */
class RenderingTest {
    private static final Set<Path> NONE = Set.of();

    @Test
    void linuxWithoutAGpuDeviceIsDrawnInSoftwareWithoutProbingOpenGl() {
        assertThat(Rendering.order("Linux", null, null, NONE::contains)).contains("sw");
    }

    @Test
    void linuxWithADriDeviceOrAnNvidiaCardLetsJavaFxProbeAsBefore() {
        assertThat(Rendering.order("Linux", null, null, Set.of(Path.of("/dev/dri"))::contains)).isEmpty();
        assertThat(Rendering.order("Linux", null, null, Set.of(Path.of("/dev/nvidia0"))::contains)).isEmpty();
    }

    @Test
    void anOrderOrAGpuTheOperatorAskedForIsKept() {
        assertThat(Rendering.order("Linux", "es2,sw", null, NONE::contains)).isEmpty();
        assertThat(Rendering.order("Linux", null, "true", NONE::contains)).isEmpty();
    }

    @Test
    void macOsAndWindowsAreLeftToJavaFx() {
        assertThat(Rendering.order("Mac OS X", null, null, NONE::contains)).isEmpty();
        assertThat(Rendering.order("Windows 11", null, null, NONE::contains)).isEmpty();
    }
}

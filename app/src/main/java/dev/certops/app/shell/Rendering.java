package dev.certops.app.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which JavaFX renderer the console asks for before the toolkit starts. JavaFX tries OpenGL first and falls back to
 * drawing in software when no graphics hardware qualifies. On Linux that try loads the OpenGL libraries and opens a
 * context before the window can open (on a machine without a GPU: Mesa's software rasterizer, which JavaFX then
 * rejects) — 0.1-0.3 s of every start spent to arrive at software anyway. Without a GPU device node (the kernel's
 * {@code /dev/dri}, NVIDIA's {@code /dev/nvidia0}) no OpenGL renderer JavaFX accepts can exist, so the console asks
 * for software at once: the window is drawn exactly as after the fallback. Where a device exists JavaFX decides as
 * before; an explicit {@code -Dprism.order} or {@code -Dprism.forceGPU} (CERTOPS_JAVA_OPTS) is left alone.
 */
final class Rendering {
    /** JavaFX's renderer order property, read when its toolkit starts. */
    static final String ORDER = "prism.order";
    /** The device nodes an OpenGL driver JavaFX accepts renders through on Linux. */
    static final List<Path> GPU_DEVICES = List.of(Path.of("/dev/dri"), Path.of("/dev/nvidia0"));

    private Rendering() { }

    /** Sets {@value #ORDER} to software when {@link #order} says so (before the toolkit starts). */
    static void chooseBeforeLaunch() {
        order(System.getProperty("os.name", ""), System.getProperty(ORDER), System.getProperty("prism.forceGPU"), Files::exists)
                .ifPresent(o -> System.setProperty(ORDER, o));
    }

    /**
     * The renderer order to ask for, or empty to leave the choice to JavaFX: "sw" on Linux when none of
     * {@link #GPU_DEVICES} exists and nobody chose already.
     */
    static Optional<String> order(String osName, String chosenOrder, String forceGpu, Predicate<Path> exists) {
        if (chosenOrder != null || forceGpu != null) return Optional.empty();
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) return Optional.empty();
        return GPU_DEVICES.stream().anyMatch(exists) ? Optional.empty() : Optional.of("sw");
    }
}

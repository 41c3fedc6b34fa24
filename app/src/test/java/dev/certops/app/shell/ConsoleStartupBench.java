package dev.certops.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #8's start-up figure as an operator sees it: a fresh JVM running the launcher on a
 * 1,000-certificate workspace, on a real X server (Xvfb) with the GTK glass platform — the time from
 * the process's start to the window's first frame, and to the estate table showing the certificates
 * (StartupTiming's log lines), with the JVM options and class-data archive ./certops uses. Three
 * runs after the one that writes the archive, printed. Target ≤ 2 s to a usable window.
 * Run: ./mvnw -B -Pbench -pl app -am verify -Dtest=ConsoleStartupBench -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("bench")
class ConsoleStartupBench {
    private static final Pattern LINE = Pattern.compile("startup: (window shown|estate shows \\d+ certificates) (\\d+) ms after");
    @TempDir Path dir;

    @Test
    void aFreshConsoleOnAThousandCertificatesIsUsableWithinTwoSeconds() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        StringBuilder b = new StringBuilder("certificates:\n");
        for (int i = 0; i < 1_000; i++) b.append("  - { id: cert-").append(i).append(", names: [cert-").append(i).append(".example.test] }\n");
        Files.writeString(ws.configFile(), b.toString());

        Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp").start();
        try {
            String display = ":" + new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.UTF_8)).readLine().strip();
            Path archive = dir.resolve("console.jsa");
            run(ws, display, "-XX:ArchiveClassesAtExit=" + archive); // the first start writes the class-data archive, as ./certops does
            List<long[]> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) runs.add(run(ws, display, "-XX:SharedArchiveFile=" + archive));
            for (long[] r : runs) {
                System.out.printf("ConsoleStartupBench: fresh JVM to window shown %d ms, to the estate showing 1,000 certificates %d ms (target ≤ 2000 ms)%n", r[0], r[1]);
            }
            long[] usable = runs.stream().mapToLong(r -> r[1]).sorted().toArray();
            System.out.printf("ConsoleStartupBench: median start-up to a usable window with 1,000 certificates: %d ms (target ≤ 2000 ms: %s)%n",
                    usable[1], usable[1] <= 2000 ? "met" : "NOT met");
            assertThat(Arrays.stream(usable).min().orElse(-1)).as("every start logged both figures").isPositive();
        } finally {
            xvfb.destroy();
            xvfb.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One start: {window shown ms, estate shown ms}, read from the console's log; then the console is stopped. */
    private long[] run(Workspace ws, String display, String archiveOption) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("monocle") && !e.contains("testfx")).collect(Collectors.joining(File.pathSeparator));
        // the options ./certops starts the console with (docs/decisions/0007)
        ProcessBuilder pb = new ProcessBuilder(java, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:TieredStopAtLevel=1", archiveOption,
                "-cp", classpath, "dev.certops.app.Launcher", "--workspace", ws.root().toString())
                .redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        pb.environment().put("CERTOPS_LOG_LEVEL", "info");
        Process console = pb.start();
        long[] out = {-1, -1};
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(console.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LINE.matcher(line);
                    if (!m.find()) continue;
                    out[m.group(1).startsWith("window") ? 0 : 1] = Long.parseLong(m.group(2));
                    if (out[0] >= 0 && out[1] >= 0) return;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            console.destroy();
            console.waitFor(30, TimeUnit.SECONDS); // the first start writes its archive on the way out
            console.destroyForcibly();
        }
        return out;
    }
}

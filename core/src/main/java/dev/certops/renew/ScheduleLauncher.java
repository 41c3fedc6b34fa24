package dev.certops.renew;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The certops launcher a schedule runs: the one that is running now. The checkout's {@code ./certops}
 * passes its own path in the system property {@code certops.launcher}; the packaged {@code bin/certops}
 * (jpackage) sets {@code jpackage.app-path}; {@code $CERTOPS_LAUNCHER} is the last resort.
 */
public final class ScheduleLauncher {
    public static final String PROPERTY = "certops.launcher";
    public static final String JPACKAGE_PROPERTY = "jpackage.app-path";
    public static final String ENV = "CERTOPS_LAUNCHER";
    private static final long VERSION_TIMEOUT_SECONDS = 120;

    private ScheduleLauncher() { }

    /**
     * The launcher that started this process, when it said: its real path (the installed
     * {@code /opt/certops/bin/certops} when started through the {@code /usr/bin/certops} link).
     */
    public static Optional<Path> running(Map<String, String> env) {
        for (String s : new String[] {System.getProperty(PROPERTY), System.getProperty(JPACKAGE_PROPERTY), env.get(ENV)}) {
            if (s == null || s.isBlank()) continue;
            Path p = Path.of(s).toAbsolutePath().normalize();
            try {
                return Optional.of(p.toRealPath());
            } catch (IOException e) {
                return Optional.of(p); // check() says it does not exist
            }
        }
        return Optional.empty();
    }

    /**
     * Proves {@code launcher} can run the schedule: it is an executable file and {@code launcher --version}
     * exits 0. Returns the version line it printed.
     */
    public static String check(Path launcher) throws ScheduleException {
        if (!Files.isRegularFile(launcher)) {
            throw new ScheduleException(launcher + " does not exist: the timer would fail every hour. Run `certops schedule` from"
                    + " the certops you will keep (the installed /opt/certops/bin/certops, or a checkout's ./certops), or pass --launcher PATH");
        }
        if (!Files.isExecutable(launcher)) {
            throw new ScheduleException(launcher + " is not executable: chmod +x it, or pass --launcher with the certops executable");
        }
        Path output = null;
        try {
            output = Files.createTempFile("certops-version", ".txt");
            Process p = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ScheduleException(launcher + " --version did not finish within " + VERSION_TIMEOUT_SECONDS
                        + " s: check that it is a certops launcher");
            }
            String out = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new ScheduleException(launcher + " --version failed (exit " + p.exitValue() + "): "
                        + out.lines().reduce((a, b) -> b).orElse("no output") + " — the timer would fail the same way; fix or reinstall it first");
            }
            return out.lines().findFirst().orElse("");
        } catch (IOException e) {
            throw new ScheduleException(launcher + " cannot be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScheduleException("interrupted while running " + launcher + " --version");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file of a few bytes
                }
            }
        }
    }

    /** The schedule cannot be written as asked; the message says why and what to do. */
    public static final class ScheduleException extends Exception {
        private static final long serialVersionUID = 1L;

        public ScheduleException(String message) { super(message); }
    }
}

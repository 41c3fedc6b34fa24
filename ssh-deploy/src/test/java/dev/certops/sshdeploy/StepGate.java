package dev.certops.sshdeploy;

import dev.certops.deploy.Interruptions;
import dev.certops.testing.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The injected fault of the deploy fault matrix: a folder both JVMs see. The test names the step to stop at
 * ({@link #stopAt}); the deploying child JVM (with {@value #ENV} pointing at the folder) marks itself blocked
 * there and waits for {@link #release} — the moment the test kills it, or stops its sshd — or for a SIGTERM. Steps, in deploy order:
 * connect (connected), upload (before the second file), swap (intent recorded, link untouched), swapped (live
 * moved, config test not run), reloaded (reload done, not verified), verified (verification recorded, pruning),
 * rollback (restoring the previous release after a failure).
 */
final class StepGate {
    static final String ENV = "CERTOPS_TEST_STEP_GATE";
    private final Path dir;

    StepGate(Path dir) { this.dir = dir; }

    /** The gate of this JVM, when it deploys under a test's control. */
    static StepGate fromEnvironment() {
        String d = System.getenv(ENV);
        return d == null || d.isBlank() ? null : new StepGate(Path.of(d));
    }

    Path dir() { return dir; }

    void stopAt(String step) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("BLOCKED"));
        Files.deleteIfExists(dir.resolve("GO"));
        Files.writeString(dir.resolve("AT"), step);
    }

    void release() throws IOException { Files.writeString(dir.resolve("GO"), ""); }

    void awaitBlocked(String step) {
        Poll.until(Duration.ofSeconds(60), () -> Files.exists(dir.resolve("BLOCKED")), "the deploy to reach " + step);
    }

    /** In the deploying JVM: when {@code step} is the one to stop at, marks it blocked and waits (60 s at most). */
    void reached(String step) {
        try {
            if (!Files.exists(dir.resolve("AT")) || !Files.readString(dir.resolve("AT")).strip().equals(step)) return;
            Files.writeString(dir.resolve("BLOCKED"), step);
            // a SIGTERM lets the paused step go on (the shutdown hook has marked the stop as requested by then)
            Poll.until(Duration.ofSeconds(60), () -> Files.exists(dir.resolve("GO")) || Interruptions.requested(), "the test to release " + step);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

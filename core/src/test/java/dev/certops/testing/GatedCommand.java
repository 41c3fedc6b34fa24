package dev.certops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A shell script around a real command (a host's reload, say) with a gate: while the gate is
 * {@link #arm() armed} and not {@link #release() released}, the script marks itself
 * {@link #awaitBlocked blocked} and waits (60 s at most), then gives up without running the command —
 * the place where a test kills the process that ran it. Otherwise it runs the command.
 */
public final class GatedCommand {
    private final Path dir;
    private final Path script;

    private GatedCommand(Path dir, Path script) {
        this.dir = dir;
        this.script = script;
    }

    /** Writes {@code dir/NAME} wrapping {@code command}; the gate's marker files live in {@code dir}. */
    public static GatedCommand around(Path dir, String name, String command) throws IOException {
        Path script = dir.resolve(name);
        Path armed = dir.resolve("ARMED");
        Path go = dir.resolve("GO");
        Files.writeString(script, "if [ -e " + armed + " ] && [ ! -e " + go + " ]; then touch " + dir.resolve("BLOCKED")
                + "; n=0; while [ ! -e " + go + " ] && [ $n -lt 600 ]; do n=$((n+1)); sleep 0.1; done; exit 1; fi\nexec " + command + "\n");
        return new GatedCommand(dir, script);
    }

    /** What to configure as the command: {@code sh SCRIPT}. */
    public String command() { return "sh " + script; }

    /** From now on the script blocks. */
    public void arm() throws IOException { Files.writeString(dir.resolve("ARMED"), ""); }

    /** Lets a blocked script go (it exits without running the command) and every later one run the command. */
    public void release() throws IOException { Files.writeString(dir.resolve("GO"), ""); }

    public boolean blocked() { return Files.exists(dir.resolve("BLOCKED")); }

    /** Waits until a run of the script is blocked at the gate. */
    public void awaitBlocked(Duration deadline, String what) { Poll.until(deadline, this::blocked, what); }
}

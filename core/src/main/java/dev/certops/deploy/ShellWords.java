package dev.certops.deploy;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: every argument becomes one single-quoted word, whatever it contains. */
public final class ShellWords {
    private ShellWords() { }

    public static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./=:@%+,-]+")) return arg;
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The command line a POSIX shell splits back into exactly {@code argv}. */
    public static String join(List<String> argv) {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        return argv.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}

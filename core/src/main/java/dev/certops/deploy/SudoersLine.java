package dev.certops.deploy;

import dev.certops.config.HostConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a {@code sudo: true} host needs: the programs certops runs through {@code sudo -n} and the
 * sudoers line that allows them without a password, and how a configured command line is run as root.
 */
public final class SudoersLine {
    /** The file operations certops runs as root on a sudo host. */
    public static final List<String> FILE_PROGRAMS = List.of("mkdir", "install", "mv", "ln", "rm", "chown", "base64");
    private static final String WORD = "[A-Za-z0-9_./=:@%+,-]+";

    private SudoersLine() { }

    /** {@code sudo -n CMD} for a plain command; {@code sudo -n sh -c 'LINE'} for a line with shell syntax. */
    public static String asRoot(String commandLine) {
        String c = commandLine.strip();
        if (c.matches(WORD + "( +" + WORD + ")*")) return "sudo -n " + c;
        return "sudo -n sh -c " + ShellWords.quote(c);
    }

    /** The programs a configured test or reload line runs as root: its first word, or sh for a line with shell syntax. */
    public static List<String> programsOf(String commandLine) {
        String root = asRoot(commandLine).substring("sudo -n ".length());
        return List.of(root.split(" +")[0]);
    }

    /** True when sudo's message says it wanted a password or does not allow the command. */
    public static boolean refused(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        return s.contains("sudo:") && (s.contains("password is required") || s.contains("a terminal is required")
                || s.contains("is not allowed to execute") || s.contains("not in the sudoers file") || s.contains("may not run sudo"));
    }

    /** The line for /etc/sudoers.d/certops with these absolute program paths. */
    public static String line(String user, List<String> programs) {
        Set<String> unique = new LinkedHashSet<>(programs);
        return user + " ALL=(root) NOPASSWD: " + String.join(", ", unique);
    }

    /** Every program certops runs as root on this host, resolved to absolute paths on the host when it can. */
    static String forHost(SudoChannel ch, HostConfig host) {
        List<String> programs = new ArrayList<>(FILE_PROGRAMS);
        programs.addAll(programsOf(host.testCommand()));
        programs.addAll(programsOf(host.reloadCommand()));
        List<String> resolved = ch.resolve(programs.stream().distinct().toList());
        return line(host.user(), resolved);
    }
}

package dev.certops.cli;

import dev.certops.config.Workspace;
import dev.certops.root.HeadStart;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which head start a typed command gets (docs/decisions/0017): the work it will do anyway, begun beside the command line's parsing. */
final class HeadStarts {
    /** What a command line gets begun for it. */
    enum Kind { ISSUE, ISSUANCE, SCAN }

    private static final Set<String> ISSUING = Set.of("renew", "revoke", "runbook", "drill");
    /** {@code issue}'s options that take a value (IssueCommand's and the inherited --workspace; HeadStartsTest checks them against picocli's model). */
    static final Set<String> ISSUE_OPTIONS_WITH_VALUES = Set.of("--concurrency", "--ca", "--deadline", "--http01-listen", "--workspace");
    private static final Set<String> SCANNING = Set.of("scan", "affected");
    private static final List<String> HELP = List.of("-h", "--help", "-V", "--version");

    private HeadStarts() { }

    /** Begins what {@code args} will need. */
    static void forArgs(String... args) {
        forArgs(System.getenv(), args);
    }

    static void forArgs(Map<String, String> env, String... args) {
        Optional<Kind> kind = choose(args);
        if (kind.isEmpty()) return;
        switch (kind.get()) {
            case ISSUE -> issuing(env, args).ifPresentOrElse(HeadStart::forIssue, HeadStart::forIssuance);
            case ISSUANCE -> HeadStart.forIssuance();
            case SCAN -> scanning(env, args).ifPresent(HeadStart::forScan);
        }
    }

    /** Nothing for help, version, or a command that does no such work. */
    static Optional<Kind> choose(String... args) {
        for (String a : args) {
            if (HELP.contains(a)) return Optional.empty();
        }
        Optional<String> typed = CommandDispatch.firstCommand(args);
        if (typed == null || typed.isEmpty()) return Optional.empty();
        if (typed.get().equals("issue")) return Optional.of(Kind.ISSUE);
        if (ISSUING.contains(typed.get())) return Optional.of(Kind.ISSUANCE);
        if (!typed.get().equals("estate")) return Optional.empty();
        return Optional.ofNullable(CommandDispatch.secondCommand(args)).filter(SCANNING::contains).map(s -> Kind.SCAN);
    }

    /**
     * For {@code estate scan} and {@code estate affected} (not their help): the certops.yaml the command will read,
     * from {@code --workspace} wherever it is typed (it is inherited by every command), else $CERTOPS_HOME, else ~/.certops.
     * A guess that turns out wrong costs the guess only: the command reads its own file and uses what was read ahead
     * only for the same bytes of the same file.
     */
    static Optional<Path> scanning(Map<String, String> env, String... args) {
        if (choose(args).filter(k -> k == Kind.SCAN).isEmpty()) return Optional.empty();
        return workspace(env, args).map(Workspace::configFile);
    }

    /** The workspace a command will use: {@code --workspace} wherever it is typed (it is inherited by every command), else $CERTOPS_HOME, else ~/.certops. */
    private static Optional<Workspace> workspace(Map<String, String> env, String... args) {
        String workspace = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--workspace") && i + 1 < args.length) {
                workspace = args[++i];
            } else if (args[i].startsWith("--workspace=")) {
                workspace = args[i].substring("--workspace=".length());
            }
        }
        try {
            return Optional.of(Workspace.locate(Optional.ofNullable(workspace).map(Path::of), env));
        } catch (InvalidPathException e) {
            return Optional.empty(); // the command says what is wrong with it
        }
    }

    /**
     * What {@code issue ...} names, read from the words as typed: the certificates (the words after {@code issue} that are
     * neither an option nor an option's value), {@code --ca}, {@code --staging} and the workspace (as {@link #scanning}).
     */
    static Optional<HeadStart.IssueGuess> issuing(Map<String, String> env, String... args) {
        List<String> certificates = new ArrayList<>();
        String ca = null;
        boolean staging = false;
        boolean afterIssue = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            String value = a.startsWith("--") && eq > 0 ? a.substring(eq + 1) : null;
            if (value == null && ISSUE_OPTIONS_WITH_VALUES.contains(a)) value = ++i < args.length ? args[i] : null;
            if (name.equals("--ca")) ca = value;
            else if (name.equals("--staging")) staging = true;
            else if (!a.startsWith("-") && value == null) {
                if (afterIssue) certificates.add(a);
                else afterIssue = a.equals("issue");
            }
        }
        Optional<String> onlyCa = Optional.ofNullable(ca);
        boolean stagingTyped = staging;
        return workspace(env, args).map(w -> new HeadStart.IssueGuess(w, List.copyOf(certificates), onlyCa, stagingTyped));
    }
}

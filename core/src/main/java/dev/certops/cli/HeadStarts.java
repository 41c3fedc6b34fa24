package dev.certops.cli;

import dev.certops.config.Workspace;
import dev.certops.root.HeadStart;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which head start a typed command gets (ADR 0017): the work it will do anyway, begun beside the command line's parsing. */
final class HeadStarts {
    private static final Set<String> ISSUING = Set.of("issue", "renew", "revoke", "runbook", "drill");
    private static final Set<String> SCANNING = Set.of("scan", "affected");
    private static final List<String> HELP = List.of("-h", "--help", "-V", "--version");

    private HeadStarts() { }

    static void forArgs(String... args) {
        forArgs(System.getenv(), args);
    }

    static void forArgs(Map<String, String> env, String... args) {
        Optional<String> typed = CommandDispatch.firstCommand(args);
        if (typed == null || typed.isEmpty()) return;
        if (ISSUING.contains(typed.get())) HeadStart.forIssuance();
        else if (typed.get().equals("estate")) scanning(env, args).ifPresent(HeadStart::forScan);
    }

    /**
     * For {@code estate scan} and {@code estate affected} (not their help): the certops.yaml the command will read,
     * from {@code --workspace} wherever it is typed (it is inherited by every command), else $CERTOPS_HOME, else ~/.certops.
     * A guess that turns out wrong costs the guess only: the command reads its own file and uses what was read ahead
     * only for the same bytes of the same file.
     */
    static Optional<Path> scanning(Map<String, String> env, String... args) {
        String sub = null;
        String workspace = null;
        boolean afterEstate = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (HELP.contains(a)) return Optional.empty();
            if (a.equals("--workspace") && i + 1 < args.length) {
                workspace = args[++i];
            } else if (a.startsWith("--workspace=")) {
                workspace = a.substring("--workspace=".length());
            } else if (!a.startsWith("-") && sub == null) {
                if (afterEstate) sub = a;
                else afterEstate = a.equals("estate");
            }
        }
        if (sub == null || !SCANNING.contains(sub)) return Optional.empty();
        try {
            return Optional.of(Workspace.locate(Optional.ofNullable(workspace).map(Path::of), env).configFile());
        } catch (InvalidPathException e) {
            return Optional.empty(); // the command says what is wrong with it
        }
    }
}

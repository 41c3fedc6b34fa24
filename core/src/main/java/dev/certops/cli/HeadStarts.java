package dev.certops.cli;

import dev.certops.root.HeadStart;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which head start a typed command gets (docs/decisions/0017): the work it will do anyway, begun beside the command line's parsing. */
final class HeadStarts {
    /** What a command line gets begun for it. */
    enum Kind { ISSUANCE }

    private static final Set<String> ISSUING = Set.of("issue", "renew", "revoke", "runbook", "drill");
    private static final List<String> ASKING_FOR_HELP = List.of("-h", "--help", "-V", "--version");

    private HeadStarts() { }

    /** Begins what {@code args} will need. */
    static void forArgs(String... args) {
        if (choose(args).isPresent()) HeadStart.forIssuance();
    }

    /** Nothing for help, version, or a command that does no such work. */
    static Optional<Kind> choose(String... args) {
        for (String a : args) {
            if (ASKING_FOR_HELP.contains(a)) return Optional.empty();
        }
        Optional<String> typed = CommandDispatch.firstCommand(args);
        if (typed == null || typed.isEmpty()) return Optional.empty();
        return ISSUING.contains(typed.get()) ? Optional.of(Kind.ISSUANCE) : Optional.empty();
    }
}

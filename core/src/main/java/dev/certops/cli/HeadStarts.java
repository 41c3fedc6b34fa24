package dev.certops.cli;

import dev.certops.root.HeadStart;
import java.util.Optional;
import java.util.Set;

/** Which head start a typed command gets (ADR 0017): the work it will do anyway, begun beside the command line's parsing. */
final class HeadStarts {
    private static final Set<String> ISSUING = Set.of("issue", "renew", "revoke", "runbook", "drill");

    private HeadStarts() { }

    static void forArgs(String... args) {
        Optional<String> typed = CommandDispatch.firstCommand(args);
        if (typed == null || typed.isEmpty()) return;
        if (ISSUING.contains(typed.get())) HeadStart.forIssuance();
    }
}

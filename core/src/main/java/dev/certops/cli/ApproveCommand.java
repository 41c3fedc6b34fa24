package dev.certops.cli;

import dev.certops.team.ApprovalRequest;
import dev.certops.team.Approvals;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops approve RUN_ID STEP --reason TEXT [--refuse] | approve --list}: the second person of a two-person gate. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve (or --refuse) another person's two-person request, signed with your key: RUN_ID and STEP as the "
                + "request names them. --list shows what waits, with its preview, who asked and why.")
final class ApproveCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_ID", description = "The run (or command request) that waits, as --list shows it.") String id;
    @Parameters(index = "1", arity = "0..1", paramLabel = "STEP", description = "The step of that run that waits for a second person.") String step;
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why you approve or refuse; recorded with your signature.") String reason;
    @Option(names = "--refuse", description = "Refuse the request instead.") boolean refuse;
    @Option(names = "--list", description = "List the requests waiting for a second person.") boolean list;

    ApproveCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        ctx.config();
        ctx.history();
        Approvals approvals = ctx.session().team().approvals();
        if (list || id == null) {
            List<ApprovalRequest> pending = approvals.pending();
            if (pending.isEmpty()) ctx.out().println("No request waits for a second person.");
            for (ApprovalRequest r : pending) {
                ctx.out().printf("%s %s — %s asks to %s (%s gate), until %s%n    why: %s%n    preview: %s%n", r.id(), r.step(), r.requester(),
                        r.operation() + (r.subjects().isEmpty() ? "" : " " + String.join(", ", r.subjects())), r.gate(), r.expiresAt(), r.why(), r.preview());
                r.previewDetails().forEach(d -> ctx.out().println("      " + d));
            }
            return ExitCodes.OK;
        }
        if (step == null) throw new CommandFailedException("give the STEP too: ./certops approve " + id + " STEP --reason \"…\" (--list shows it)", ExitCodes.USAGE);
        if (reason == null || reason.isBlank()) {
            throw new CommandFailedException("--reason is required: say why you " + (refuse ? "refuse" : "approve") + " (it is recorded with your signature)",
                    ExitCodes.USAGE);
        }
        Approvals.Status s = approvals.decide(id, step, !refuse, reason);
        ApprovalRequest r = s.request();
        ctx.out().printf("%s %s's request %s %s (%s): recorded with your signature.%n", refuse ? "Refused" : "Approved", r.requester(), r.id(),
                r.step(), r.preview());
        return ExitCodes.OK;
    }
}

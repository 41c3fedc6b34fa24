package dev.certops.cli;

import dev.certops.renew.RenewHistory;
import dev.certops.renew.RenewStatus;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code certops status}: the dead man's switch — is routine renewal running, and what is failing. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Whether routine renewal is alive: warns when no renew run has succeeded for staleAfter (default 26h)",
                "while certificates are managed, and lists failing certificates. Exit 0 fine, 1 stale or something failing."})
final class StatusCommand implements Callable<Integer> {
    private final CliContext ctx;

    StatusCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        RenewStatus status = RenewStatus.read(ctx.config(), ctx.history(), ctx.clock().instant());
        RenewHistory h = status.history();
        PrintWriter out = ctx.out();
        int managed = status.managed();
        out.println("Managed certificates: " + managed);
        out.println("Last renew run:       " + h.lastRun().map(t -> t + " (exit " + h.lastExit().orElse(0) + ")").orElse("never"));
        out.println("Last successful run:  " + h.lastSuccess().map(Object::toString).orElse("never"));
        Optional<String> stale = status.warning();
        stale.ifPresent(s -> ctx.err().println("WARNING: " + s));
        if (h.failing().isEmpty()) {
            out.println("Failing certificates: none");
        } else {
            out.println("Failing certificates:");
            h.failing().values().forEach(f -> out.println("  " + f.certificateId() + ": failing since " + f.since() + " (" + f.consecutive()
                    + " in a row), next attempt after " + f.nextAttempt() + " — " + f.reason().lines().findFirst().orElse("")
                    + "\n    next step: ./certops runbook run renewal-failing --param certificate=" + f.certificateId()));
        }
        return status.needsAttention() ? ExitCodes.WARNING : ExitCodes.OK;
    }
}

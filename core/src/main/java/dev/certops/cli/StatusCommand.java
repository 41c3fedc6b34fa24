package dev.certops.cli;

import dev.certops.renew.RenewHistory;
import dev.certops.renew.Staleness;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code certops status}: the dead man's switch — is routine renewal running, what is failing, and is an alert channel broken. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Whether routine renewal is alive: warns when no renew run has succeeded for staleAfter (default 26h)",
                "while certificates are managed, and lists failing certificates. Exit 0 fine, 1 stale or something failing."})
final class StatusCommand implements Callable<Integer> {
    private final CliContext ctx;

    StatusCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        var cfg = ctx.config();
        RenewHistory h = RenewHistory.read(ctx.history());
        PrintWriter out = ctx.out();
        int managed = cfg.certificates().size();
        out.println("Managed certificates: " + managed);
        out.println("Last renew run:       " + h.lastRun().map(t -> t + " (exit " + h.lastExit().orElse(0) + ")").orElse("never"));
        out.println("Last successful run:  " + h.lastSuccess().map(Object::toString).orElse("never"));
        Optional<String> stale = Staleness.check(managed, h.lastSuccess(), cfg.renew().staleAfter(), ctx.clock().instant());
        stale.ifPresent(s -> ctx.err().println("WARNING: " + s));
        if (h.failing().isEmpty()) {
            out.println("Failing certificates: none");
        } else {
            out.println("Failing certificates:");
            h.failing().values().forEach(f -> out.println("  " + f.certificateId() + ": failing since " + f.since() + " (" + f.consecutive()
                    + " in a row), next attempt after " + f.nextAttempt() + " — " + f.reason().lines().findFirst().orElse("")
                    + "\n    next step: ./certops runbook run renewal-failing --param certificate=" + f.certificateId()));
        }
        int brokenChannels = 0;
        var alerts = ctx.session().alertService();
        if (alerts.isPresent()) {
            for (var c : alerts.get().health()) {
                if (!c.broken()) continue;
                brokenChannels++;
                ctx.err().println("WARNING: alert channel " + c.channel() + " (" + c.type() + ") is broken since " + c.lastFailed().orElseThrow()
                        + ": " + c.lastError() + " — check: " + c.lastHint() + "; then ./certops alerts test " + c.channel());
            }
            if (brokenChannels == 0) out.println("Alert channels:       " + alerts.get().channels().size() + " ok");
        }
        return stale.isPresent() || !h.failing().isEmpty() || brokenChannels > 0 ? ExitCodes.WARNING : ExitCodes.OK;
    }
}

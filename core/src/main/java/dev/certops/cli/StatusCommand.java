package dev.certops.cli;

import dev.certops.alert.AlertCondition;
import dev.certops.alert.AlertScope;
import dev.certops.alert.ConditionKind;
import dev.certops.alert.Severity;
import dev.certops.renew.BudgetConditions;
import dev.certops.renew.RenewConditions;
import dev.certops.renew.RenewHistory;
import dev.certops.renew.RenewStatus;
import dev.certops.renew.Staleness;
import dev.certops.root.Unmanaged;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code certops status}: the dead man's switch — is routine renewal running, what is failing, and is an alert channel broken. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Whether routine renewal is alive, and which certificates are failing.",
                "Warns when no renew run has succeeded for staleAfter (default 26h) while certificates are managed.",
                "Exit 0 fine, 1 stale or something failing."})
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
        int brokenTimers = ScheduleCommand.reportInstalled(ctx);
        Optional<String> stale = status.warning();
        stale.ifPresent(s -> ctx.err().println("WARNING: " + s));
        reportStaleness(status);
        if (h.failing().isEmpty()) {
            out.println("Failing certificates: none");
        } else {
            out.println("Failing certificates:");
            h.failing().values().forEach(f -> out.println("  " + f.certificateId() + ": failing since " + f.since() + " (" + f.consecutive()
                    + " in a row), next attempt after " + f.nextAttempt() + " — " + f.reason().lines().findFirst().orElse("")
                    + "\n    next step: " + RenewConditions.nextStep(f.certificateId())));
        }
        int budgetLow = reportBudget();
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
        Set<String> unmanaged = Unmanaged.ids(ctx.config(), ctx.workspace(), ctx.history());
        if (!unmanaged.isEmpty()) ctx.err().println("WARNING: " + Unmanaged.warning(unmanaged) + ".");
        return status.needsAttention() || brokenChannels > 0 || budgetLow > 0 || brokenTimers > 0 || !unmanaged.isEmpty() ? ExitCodes.WARNING : ExitCodes.OK;
    }

    /** Rate-limit buckets above the safety line: printed, and alerted once (resolved when they refill below it). Returns how many. */
    private int reportBudget() throws Exception {
        var low = BudgetConditions.of(ctx.session().budget(), ctx.config().cas());
        if (low.isEmpty()) {
            if (!ctx.config().cas().isEmpty()) out().println("Rate-limit budget:    under the safety line");
        } else {
            for (var c : low) ctx.err().println("WARNING: " + c.summary() + " — see " + c.nextStep());
        }
        ctx.alerts().report(BudgetConditions.SCOPE, low);
        return low.size();
    }

    private PrintWriter out() { return ctx.out(); }

    /** The dead man's switch also alerts (once, resolved when renewals succeed again): a timer that died sends nothing itself. */
    private void reportStaleness(RenewStatus status) {
        var scope = AlertScope.of(Set.of(ConditionKind.RENEW_STALE));
        List<AlertCondition> active = status.warning().map(w -> {
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("managed certificates", String.valueOf(status.managed()));
            facts.put("last successful renew run", status.history().lastSuccess().map(Object::toString).orElse("never"));
            facts.put("failing certificates", String.valueOf(status.history().failing().size()));
            return List.of(new AlertCondition(ConditionKind.RENEW_STALE, "renew",
                    Severity.WARNING, w, facts, Staleness.NEXT_STEP));
        }).orElse(List.of());
        ctx.alerts().report(scope, active);
    }
}

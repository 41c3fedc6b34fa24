package dev.certops.cli;

import dev.certops.acme.FailoverPolicy;
import dev.certops.alert.Alerts;
import dev.certops.json.Json;
import dev.certops.renew.RenewLock;
import dev.certops.renew.RenewMetrics;
import dev.certops.renew.RenewOutcome;
import dev.certops.renew.RenewPlan;
import dev.certops.renew.RenewService;
import dev.certops.renew.RenewalAction;
import dev.certops.renew.RenewalDecision;
import dev.certops.renew.RenewalPlanner;
import dev.certops.root.Unmanaged;
import dev.certops.words.TextTable;
import dev.certops.words.Words;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code certops renew}: the routine renewal run (what the schedule runs every hour). */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = {"Renew what is due and re-deploy hosts that do not serve the current release; safe every hour.",
                "Due: inside the CA's renewal window (ARI) or renewBefore, changed names or key type, revoked.",
                "Exit 0 nothing due or all renewed, 1 some failed but will be retried in time, 2 a person is needed,",
                "75 another renew run holds this workspace."})
final class RenewCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Option(names = "--dry-run", description = "Print each certificate's decision, reason, due time and rate-limit cost; change nothing.") boolean dryRun;
    @Option(names = "--cert", paramLabel = "ID", description = "Only this certificate, renewed even when not due (ignores backoff).") String cert;
    @Option(names = "--json", description = "JSON output for machines.") boolean json;
    @Option(names = "--quiet", description = "Print only failures (for the schedule).") boolean quiet;
    @Option(names = "--prom", paramLabel = "FILE", description = "Write the Prometheus textfile (node_exporter), atomically.") Path prom;
    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "Certificates renewed at once (default ${DEFAULT-VALUE}).") int concurrency;

    RenewCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        // a dry run sends nothing: no alert channels to build
        RenewService service = new RenewService(ctx.session(), ctx.operations(), dryRun ? Alerts.none() : ctx.alerts(), FailoverPolicy.defaults(), concurrency);
        RenewService.Request request = cert == null ? RenewService.Request.all() : RenewService.Request.force(cert);
        if (cert != null) ctx.certificate(cert);
        if (dryRun) return dryRun(service.plan(request));
        PrintWriter out = ctx.out();
        RenewService.Attempt attempt = service.run(request, quiet || json ? (id, m) -> { } : (id, m) -> {
            synchronized (out) { out.println(id + ": " + m); out.flush(); }
        });
        if (attempt instanceof RenewService.Busy busy) {
            ctx.err().println("certops: " + busy.lock().message());
            return RenewLock.BUSY_EXIT;
        }
        RenewService.Result r = ((RenewService.Ran) attempt).result();
        if (prom != null) {
            new RenewMetrics(ctx.clock().instant(), r.history().lastSuccess(), r.expiry(), r.history().failuresTotal()).writeAtomically(prom);
        }
        if (json) {
            out.println(Json.indented().writeValueAsString(Map.of("exit", r.exit(), "outcomes", r.outcomes().stream().map(RenewCommand::json).toList())));
            return r.exit();
        }
        for (RenewOutcome o : r.outcomes()) {
            boolean failure = o instanceof RenewOutcome.Failed || o instanceof RenewOutcome.BackedOff;
            if (failure) ctx.err().println(o.summary());
            else if (!quiet && !(o instanceof RenewOutcome.NotDue)) out.println(o.summary());
        }
        if (!quiet) {
            boolean skipped = r.outcomes().stream().anyMatch(o -> o instanceof RenewOutcome.NotDue n
                    && n.reason().startsWith(RenewOutcome.SKIPPED_FOR_LEASE));
            out.println(r.nothingDone() && !skipped ? "Nothing to do: " + Words.count(r.decisions().size(), "certificate") + " checked, none due."
                    : summaryLine(r));
        }
        r.alerts().failed().forEach(d -> ctx.err().println("alert channel " + d.channel() + " failed: " + d.error()));
        int exit = r.exit();
        for (RenewOutcome o : r.outcomes()) {
            if (o instanceof RenewOutcome.NotDue n && n.reason().startsWith(RenewOutcome.SKIPPED_FOR_LEASE)) {
                ctx.err().println("NOT RENEWED: " + n.certificateId() + " " + n.reason() + " — run renew again when it is free");
                exit = Math.max(exit, ExitCodes.WARNING);
            }
        }
        for (RenewalDecision d : r.decisions()) {
            if (d.reason().startsWith(RenewalPlanner.NOT_RENEWED)) {
                ctx.err().println("WARNING: " + d.certificateId() + " " + d.reason());
                exit = Math.max(exit, ExitCodes.WARNING);
            }
        }
        Set<String> unmanaged = Unmanaged.ids(ctx.config(), ctx.workspace(), ctx.history());
        if (!unmanaged.isEmpty()) {
            ctx.err().println("WARNING: " + Unmanaged.warning(unmanaged) + ".");
            exit = Math.max(exit, ExitCodes.WARNING);
        }
        return exit;
    }

    private static String summaryLine(RenewService.Result r) {
        Map<String, Long> n = new LinkedHashMap<>();
        for (RenewOutcome o : r.outcomes()) n.merge(o.getClass().getSimpleName().toLowerCase(), 1L, Long::sum);
        List<String> parts = new ArrayList<>();
        n.forEach((k, v) -> parts.add(v + " " + (k.equals("notdue") ? "not due" : k.equals("backedoff") ? "backing off" : k)));
        return "Renew run: " + String.join(", ", parts) + " (exit " + r.exit() + ")";
    }

    private int dryRun(RenewPlan plan) throws Exception {
        PrintWriter out = ctx.out();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (RenewPlan.Entry e : plan.entries()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("certificate", e.decision().certificateId());
                m.put("action", e.decision().action().name().toLowerCase());
                m.put("reason", e.decision().reason());
                m.put("dueAt", e.decision().dueAt().map(Words::iso).orElse(null));
                m.put("backingOffUntil", e.backingOffUntil().map(Words::iso).orElse(null));
                m.put("cost", e.costText());
                rows.add(m);
            }
            out.println(Json.indented().writeValueAsString(Map.of("dryRun", true, "due", plan.due(), "certificates", rows)));
            return ExitCodes.OK;
        }
        Instant now = ctx.clock().instant();
        TextTable t = new TextTable().column("CERTIFICATE", 32).column("ACTION").column("DUE").column("WHY");
        for (RenewPlan.Entry e : plan.entries()) {
            if (quiet && e.decision().action() == RenewalAction.NONE) continue;
            boolean act = e.decision().action() != RenewalAction.NONE;
            String due = e.decision().dueAt().filter(at -> !act || at.isAfter(now)).map(Words::instant).orElse("now");
            t.row(e.decision().certificateId(), e.decision().action().name().toLowerCase(Locale.ROOT), due,
                    e.decision().reason() + e.backingOffUntil().map(at -> " (backing off until " + Words.instant(at) + ")").orElse("")
                            + (act ? " — cost: " + e.costText() : ""));
        }
        if (t.rows() > 0) out.print(t);
        out.println("Dry run: " + plan.due() + " of " + Words.count(plan.entries().size(), "certificate") + " due; nothing was changed.");
        return ExitCodes.OK;
    }

    private static Map<String, Object> json(RenewOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("certificate", o.certificateId());
        m.put("result", o.getClass().getSimpleName().toLowerCase());
        m.put("summary", o.summary());
        if (o instanceof RenewOutcome.Failed f) {
            m.put("stage", f.stage());
            m.put("failure", f.failureKind());
            m.put("nextAttempt", Words.iso(f.nextAttempt()));
        }
        return m;
    }

}

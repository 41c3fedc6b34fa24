package dev.certops.runbook.action;

import dev.certops.words.Words;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.ratelimit.BudgetService;
import dev.certops.ratelimit.CertificateRequest;
import dev.certops.ratelimit.Plan;
import dev.certops.ratelimit.PlanEntry;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.services.CoreServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code check-budget} and {@code plan-batches}: the rate-limit budget service, never past its safety line. */
final class BudgetActions {
    private BudgetActions() { }

    static List<CertificateRequest> requests(CertopsConfig cfg, StepContext ctx, List<CertificateConfig> certs) throws RunbookException {
        boolean staging = ctx.drillPolicy().staging(ctx.arg("staging").map(Boolean::parseBoolean).orElse(false));
        List<CertificateRequest> out = new ArrayList<>();
        for (CertificateConfig c : certs) {
            CaConfig ca = Lookup.ca(cfg, ctx, c);
            out.add(new CertificateRequest(c.id(), ca.id(), staging, "", c.names(), Optional.empty()));
        }
        return out;
    }

    static BudgetService budget(CoreServices s) throws RunbookException {
        try {
            return s.budget();
        } catch (Exception e) {
            throw new RunbookException("the rate-limit budget could not be read: " + e.getMessage(), e);
        }
    }

    static String where(List<CertificateRequest> r) {
        return r.stream().map(x -> x.ca() + (x.staging() ? " (staging)" : "")).distinct().reduce((a, b) -> a + ", " + b).orElse("(no CA)");
    }

    /** {@code check-budget: { certificates: [..], ca: secondary }}: would the CA accept these orders now, under the safety line? */
    static final class Check implements RunbookAction {
        private final CoreServices session;
        Check(CoreServices session) { this.session = session; }
        @Override public String type() { return "check-budget"; }

        @Override
        public ActionPreview preview(StepContext ctx) throws RunbookException {
            CertopsConfig cfg = Lookup.config(session);
            List<CertificateRequest> r = requests(cfg, ctx, Lookup.certificates(cfg, ctx));
            return ActionPreview.readOnly("Check the rate-limit budget at " + where(r) + " for " + Words.count(r.size(), "certificate"),
                    r.stream().map(x -> x.certificateId() + ": " + String.join(", ", x.names())).toArray(String[]::new));
        }

        @Override
        public StepOutcome execute(StepContext ctx) throws RunbookException {
            CertopsConfig cfg = Lookup.config(session);
            BudgetService budget = budget(session);
            List<String> ok = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            // the batch as a whole: each order uses budget the next one then lacks
            Plan plan = budget.plan(requests(cfg, ctx, Lookup.certificates(cfg, ctx)), false);
            for (PlanEntry e : plan.entries()) {
                if (e.asWanted()) ok.add(e.request().certificateId());
                else problems.add(e.request().certificateId() + " not before " + e.at() + e.heldBy().map(h -> " (" + h + ")").orElse(""));
            }
            Map<String, Object> out = Map.of("allowed", ok, "problems", problems);
            if (!problems.isEmpty()) {
                return new StepOutcome.Failed(Words.count(problems.size(), "certificate") + (problems.size() == 1 ? " would" : " would") + " cross the budget: " + String.join("; ", problems),
                        "wait until the time given, use another CA, or skip with a reason to go past the safety line by hand", out);
            }
            return new StepOutcome.Succeeded("budget allows " + (ok.size() == 1 ? "the 1 certificate" : "all " + ok.size() + " certificates") + " under the "
                    + Math.round(budget.safetyLine() * 100) + "% safety line", out);
        }
    }

    /**
     * {@code plan-batches: { certificates: [..], ca: primary }} (priority order): what goes now and
     * what waits, never past the safety line. Publishes {@code set.batch-now} and {@code set.batch-later}.
     */
    static final class PlanBatches implements RunbookAction {
        private final CoreServices session;
        PlanBatches(CoreServices session) { this.session = session; }
        @Override public String type() { return "plan-batches"; }

        @Override
        public ActionPreview preview(StepContext ctx) throws RunbookException {
            CertopsConfig cfg = Lookup.config(session);
            List<CertificateRequest> r = requests(cfg, ctx, Lookup.certificates(cfg, ctx));
            return ActionPreview.readOnly("Plan " + Words.count(r.size(), "renewal") + " at " + where(r) + " in this order, under the safety line",
                    r.stream().map(CertificateRequest::certificateId).toArray(String[]::new));
        }

        @Override
        public StepOutcome execute(StepContext ctx) throws RunbookException {
            CertopsConfig cfg = Lookup.config(session);
            Plan plan = budget(session).plan(requests(cfg, ctx, Lookup.certificates(cfg, ctx)), false);
            List<String> now = plan.now().stream().map(e -> e.request().certificateId()).toList();
            List<String> later = plan.later().stream().map(e -> e.request().certificateId()).toList();
            List<Map<String, Object>> scheduled = new ArrayList<>();
            for (PlanEntry e : plan.later()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("certificate", e.request().certificateId());
                m.put("at", e.at().toString());
                m.put("heldBy", e.heldBy().orElse(""));
                scheduled.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("set.batch-now", now);
            out.put("set.batch-later", later);
            out.put("scheduled", scheduled);
            out.put("schedule", later.isEmpty() ? "nothing" : String.join("; ", plan.later().stream()
                    .map(e -> e.request().certificateId() + " not before " + e.at() + e.heldBy().map(h -> " (" + h + ")").orElse("")).toList()));
            out.put("safetyLine", plan.safetyLine());
            return new StepOutcome.Succeeded(now.size() + " now, " + later.size() + " scheduled later (safety line "
                    + Math.round(plan.safetyLine() * 100) + "%)", out);
        }
    }
}

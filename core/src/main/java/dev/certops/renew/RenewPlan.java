package dev.certops.renew;

import dev.certops.config.CaConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.ratelimit.CertificateRequest;
import dev.certops.ratelimit.Forecast;
import dev.certops.ratelimit.PlanEntry;
import dev.certops.services.CoreServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code renew --dry-run} shows: per certificate the decision, its reason, when it is due,
 * whether it is backing off, and for those to be issued what the rate-limit budget forecasts (the
 * exemption the CA would grant, and whether it could go now or what holds it back).
 */
public record RenewPlan(Instant at, List<Entry> entries) {
    public RenewPlan { entries = List.copyOf(entries); }

    /** One certificate. {@code cost}: the budget forecast for its order at its first CA (issue decisions only). */
    public record Entry(RenewalDecision decision, Optional<RenewHistory.Failing> failing, Optional<Instant> backingOffUntil,
                        Optional<PlanEntry> cost) {
        /** "ARI renewal, exempt", "renewal at primary: can go now", … in words. */
        public String costText() {
            if (cost.isEmpty()) return decision.action() == RenewalAction.REDEPLOY ? "no order (re-deploy only)" : "none";
            PlanEntry p = cost.get();
            String kind = switch (p.exemption()) {
                case ARI -> "ARI renewal, exempt from limits";
                case RENEWAL -> "renewal, counts against the exact-set limit";
                case NONE -> "new order, counts against every limit";
            };
            return "1 order at " + p.request().ca() + " (" + kind + "); " + (p.asWanted() ? "can go now" : "held until " + p.at()
                    + p.heldBy().map(h -> " by " + h).orElse(""));
        }
    }

    public long due() { return entries.stream().filter(e -> e.decision().action() != RenewalAction.NONE).count(); }

    static RenewPlan make(CoreServices session, List<RenewalDecision> decisions, RenewHistory past, boolean forced) throws Exception {
        CertopsConfig cfg = session.config();
        Instant now = session.clock().instant();
        List<CertificateRequest> orders = new ArrayList<>();
        for (RenewalDecision d : decisions) {
            if (d.action() != RenewalAction.RENEW) continue;
            var cert = cfg.certificate(d.certificateId()).orElseThrow();
            List<CaConfig> cas = cfg.casFor(cert);
            if (cas.isEmpty()) continue;
            orders.add(new CertificateRequest(cert.id(), cas.get(0).id(), false, "", cert.names(), Optional.empty()));
        }
        Map<String, PlanEntry> costs = new HashMap<>();
        if (!orders.isEmpty()) {
            Forecast f = session.budget().forecast(orders);
            for (PlanEntry e : f.entries()) costs.put(e.request().certificateId(), e);
        }
        List<Entry> out = new ArrayList<>();
        for (RenewalDecision d : decisions) {
            Optional<RenewHistory.Failing> failing = past.failing(d.certificateId());
            Optional<Instant> backoff = forced || d.action() == RenewalAction.NONE ? Optional.empty()
                    : failing.map(RenewHistory.Failing::nextAttempt).filter(now::isBefore);
            out.add(new Entry(d, failing, backoff, Optional.ofNullable(costs.get(d.certificateId()))));
        }
        return new RenewPlan(now, out);
    }
}

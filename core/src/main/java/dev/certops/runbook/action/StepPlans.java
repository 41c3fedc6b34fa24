package dev.certops.runbook.action;

import dev.certops.runbook.StepContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plan a step's gate showed, kept so that the step executes that very object (a deploy's release and hosts,
 * an issuance's CAs, a revocation's serial, a rollback's host) — not a second plan made later, which could differ.
 * Kept by run, item, certificate and what else decides the plan ({@code decidedBy}: the step's arguments).
 */
final class StepPlans<P> {
    private final Map<String, P> plans = new ConcurrentHashMap<>();

    /** The plan kept for this step and certificate, else {@code fresh} (kept from now on). */
    P keep(StepContext ctx, String certificateId, String decidedBy, P fresh) {
        String key = ctx.runId() + "|" + ctx.item().orElse("") + "|" + certificateId + "|" + decidedBy;
        P known = plans.putIfAbsent(key, fresh);
        return known != null ? known : fresh;
    }
}

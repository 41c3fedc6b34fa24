package dev.certops.renew;

import dev.certops.words.Words;
import dev.certops.alert.AlertCondition;
import dev.certops.alert.AlertScope;
import dev.certops.alert.ConditionKind;
import dev.certops.alert.Severity;
import dev.certops.config.CaConfig;
import dev.certops.ratelimit.BucketUsage;
import dev.certops.ratelimit.BudgetService;
import dev.certops.ratelimit.LimitKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Budget below its safety line, as alert conditions: one {@link ConditionKind#BUDGET_LOW} per CA
 * account (new orders) or registered domain (new certificates) of a CA's production endpoint whose
 * usage is above the budget's safety line, or that the CA has refused. The subject is
 * {@code CA/KEY} (e.g. {@code le/example.com}). Reported by {@code certops status} and at the end of
 * every renew run with {@link #SCOPE}, so a bucket that refilled below the line is resolved.
 */
public final class BudgetConditions {
    /** The budget is judged as a whole: every open BUDGET_LOW absent now is resolved. */
    public static final AlertScope SCOPE = AlertScope.of(Set.of(ConditionKind.BUDGET_LOW));
    private static final Set<LimitKind> WATCHED = EnumSet.of(LimitKind.NEW_ORDERS_PER_ACCOUNT, LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN);

    private BudgetConditions() { }

    public static List<AlertCondition> of(BudgetService budget, List<CaConfig> cas) {
        List<AlertCondition> out = new ArrayList<>();
        for (CaConfig ca : cas) {
            for (BucketUsage u : budget.now(ca.id(), false).buckets()) {
                if (!WATCHED.contains(u.kind())) continue;
                boolean refused = u.caSays().isPresent();
                if (!refused && u.usage().fraction() <= budget.safetyLine()) continue;
                out.add(condition(ca.id(), u, budget.safetyLine()));
            }
        }
        return out;
    }

    private static AlertCondition condition(String ca, BucketUsage u, double line) {
        long pct = Math.round(u.usage().fraction() * 100);
        long linePct = Math.round(line * 100);
        boolean empty = u.usage().remaining() == 0 || u.caSays().isPresent();
        String what = u.kind() == LimitKind.NEW_ORDERS_PER_ACCOUNT ? "account " + u.key() : "registered domain " + u.key();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("ca", ca);
        facts.put("limit", u.kind().description());
        facts.put(u.kind() == LimitKind.NEW_ORDERS_PER_ACCOUNT ? "account" : "registeredDomain", u.key());
        facts.put("used", u.usage().used() + " of " + u.usage().capacity() + " (" + pct + "%, safety line " + linePct + "%)");
        facts.put("remaining", String.valueOf(u.usage().remaining()));
        facts.put("nextTokenAt", Words.instant(u.usage().nextTokenAt()));
        long over = u.usage().used() - (long) Math.floor(line * u.usage().capacity());
        if (over > 0) facts.put("underTheLineAt", Words.instant(u.usage().nextTokenAt().plus(u.bucket().refill().multipliedBy(over - 1))));
        u.caSays().ifPresent(r -> facts.put("caMessage", r.detail() + " (retry after " + Words.instant(r.retryAfter()) + ")"));
        return new AlertCondition(ConditionKind.BUDGET_LOW, ca + "/" + u.key(), empty ? Severity.CRITICAL : Severity.WARNING,
                "CA " + ca + ": " + what + " has used " + pct + "% of " + u.kind().description() + " (safety line " + linePct
                        + "%); renewals past the line need an override", facts, "./certops budget --ca " + ca);
    }
}

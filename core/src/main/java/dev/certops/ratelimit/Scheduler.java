package dev.certops.ratelimit;

import static dev.certops.ratelimit.LimitKind.AUTHZ_FAILURES_PER_IDENTIFIER;
import static dev.certops.ratelimit.LimitKind.CONSECUTIVE_AUTHZ_FAILURES;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_EXACT_SET;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN;
import static dev.certops.ratelimit.LimitKind.NEW_ORDERS_PER_ACCOUNT;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Simulates sending certificates one after another against a copy of the ledger's buckets: each goes at
 * the earliest time every bucket it touches allows (under {@code ceilingLine} of capacity: 1.0 = the CA's
 * own limit, 0.8 = the safety line), then takes its tokens. Later entries see the earlier ones' spends;
 * within one bucket, spends stay in time order. A certificate whose exact name set was issued earlier in
 * the same simulation counts as a plain renewal.
 */
final class Scheduler {
    private record Charge(LimitKind kind, String key, boolean spends) { }

    private final UsageLedger ledger;
    private final long now;
    private final double line;
    private final Map<String, long[]> sim = new HashMap<>();   // scope|kind|key → {tat, lastSpend}
    private final Set<String> simIssued = new HashSet<>();
    private final Set<String> simReplaced = new HashSet<>();

    Scheduler(UsageLedger ledger, long now, double line) {
        this.ledger = ledger;
        this.now = now;
        this.line = line;
    }

    PlanEntry schedule(CertificateRequest r, long wanted) {
        String scope = LimitTable.scope(r.ca(), r.staging());
        NameSet set = NameSet.of(r.names());
        Exemption ex = exemption(scope, set, r.replaces());
        Map<LimitKind, Bucket> buckets = ledger.limits().buckets(r.ca(), r.staging());
        long at = Math.max(wanted, now);
        String heldBy = null;
        // the registered domains only where they can hold the certificate back: the CA counts them, or refused one
        boolean domains = buckets.containsKey(NEW_CERTS_PER_REGISTERED_DOMAIN) || ledger.refuses(scope, NEW_CERTS_PER_REGISTERED_DOMAIN, now);
        List<Charge> charges = charges(r, set, ex, domains);
        for (Charge c : charges) {
            Bucket b = buckets.get(c.kind());
            long[] st = state(scope, c);
            Optional<CaRefusal> refusal = ledger.refusal(scope, c.kind(), c.key(), now);
            long blocked = refusal.map(x -> x.retryAfter().toEpochMilli()).orElse(0L);
            long e = b == null ? Math.max(at, blocked)
                    : TokenBucketMath.earliest(st[0], b, TokenBucketMath.ceiling(b, line), Math.max(wanted, Math.max(now, st[1])), blocked);
            if (e > at || (e > wanted && heldBy == null)) {
                at = Math.max(at, e);
                heldBy = describe(c, b, st[0], refusal);
            }
        }
        for (Charge c : charges) {
            Bucket b = buckets.get(c.kind());
            if (b == null || !c.spends()) continue;
            long[] st = state(scope, c);
            st[0] = TokenBucketMath.spend(st[0], at, b);
            st[1] = at;
        }
        simIssued.add(scope + "|" + set.key());
        r.replaces().ifPresent(x -> simReplaced.add(scope + "|" + AriCertId.serialOf(x)));
        return new PlanEntry(r, Instant.ofEpochMilli(wanted), Instant.ofEpochMilli(at), ex,
                at > wanted ? Optional.ofNullable(heldBy) : Optional.empty());
    }

    private Exemption exemption(String scope, NameSet set, Optional<String> replaces) {
        boolean alreadyReplaced = replaces.isPresent() && simReplaced.contains(scope + "|" + AriCertId.serialOf(replaces.get()));
        Exemption ex = ledger.exemption(scope, set, alreadyReplaced ? Optional.empty() : replaces);
        if (ex == Exemption.NONE && simIssued.contains(scope + "|" + set.key())) return Exemption.RENEWAL;
        return ex;
    }

    private static List<Charge> charges(CertificateRequest r, NameSet set, Exemption ex, boolean domains) {
        List<Charge> out = new ArrayList<>();
        if (ex == Exemption.ARI) return out;
        if (ex == Exemption.NONE) {
            out.add(new Charge(NEW_ORDERS_PER_ACCOUNT, r.account(), true));
            if (domains) for (String d : RegisteredDomains.of(set.names())) out.add(new Charge(NEW_CERTS_PER_REGISTERED_DOMAIN, d, true));
        }
        out.add(new Charge(NEW_CERTS_PER_EXACT_SET, set.key(), true));
        for (String n : set.names()) {
            out.add(new Charge(AUTHZ_FAILURES_PER_IDENTIFIER, r.account() + " " + n, false));
            out.add(new Charge(CONSECUTIVE_AUTHZ_FAILURES, r.account() + " " + n, false));
        }
        return out;
    }

    private long[] state(String scope, Charge c) {
        return sim.computeIfAbsent(scope + "|" + c.kind() + "|" + c.key(),
                k -> new long[] {ledger.tat(scope, c.kind(), c.key()), 0L});
    }

    private String describe(Charge c, Bucket b, long tat, Optional<CaRefusal> refusal) {
        if (refusal.isPresent()) {
            return c.kind().description() + " " + c.key() + ": the CA said rateLimited until " + refusal.get().retryAfter()
                    + " (" + refusal.get().detail() + ")";
        }
        if (b == null) return c.kind().description() + " " + c.key();
        Usage u = TokenBucketMath.usage(tat, b, now, 0);
        return c.kind().description() + " " + c.key() + ": " + u.used() + " of " + b.capacity() + " used"
                + (line < 1.0 ? ", safety line " + TokenBucketMath.ceiling(b, line) : "");
    }
}

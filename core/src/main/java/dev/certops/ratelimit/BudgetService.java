package dev.certops.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rate-limit budget: usage now, a forecast at the CA's capacity, a plan under the safety line, and
 * the guard issuance consults before sending an order. All answers are index lookups in the
 * {@link UsageLedger}; the caller keeps the ledger current ({@link UsageLedger#catchUp}).
 */
public final class BudgetService {
    /** The default safety line: never plan past 80% of any bucket. */
    public static final double DEFAULT_SAFETY_LINE = 0.8;

    private final UsageLedger ledger;
    private final Clock clock;
    private final double safetyLine;

    public BudgetService(UsageLedger ledger, Clock clock, double safetyLine) {
        if (!(safetyLine > 0 && safetyLine <= 1)) {
            throw new IllegalArgumentException("safety line must be a fraction above 0 and at most 1 (e.g. 0.8 for 80%), got " + safetyLine);
        }
        this.ledger = ledger;
        this.clock = clock;
        this.safetyLine = safetyLine;
    }

    public double safetyLine() { return safetyLine; }

    /** Every bucket of this CA scope that is not full (or that the CA has refused), most used first within each limit. */
    public CaBudget now(String ca, boolean staging) {
        long now = clock.millis();
        String scope = LimitTable.scope(ca, staging);
        List<BucketUsage> out = new ArrayList<>();
        for (Map.Entry<LimitKind, Bucket> kb : ledger.limits().buckets(ca, staging).entrySet()) {
            Set<String> seen = new HashSet<>();
            ledger.tats(scope, kb.getKey()).forEach((key, tat) -> {
                BucketUsage u = usage(ca, staging, kb.getKey(), key, kb.getValue(), tat, now);
                if (u.usage().used() > 0 || u.caSays().isPresent()) out.add(u);
                seen.add(key);
            });
            for (CaRefusal r : ledger.refusals(scope, now)) {
                if (r.kind() == kb.getKey() && !seen.contains(r.key())) out.add(usage(ca, staging, r.kind(), r.key(), kb.getValue(), 0, now));
            }
        }
        out.sort(Comparator.comparing((BucketUsage b) -> b.kind().ordinal())
                .thenComparing(b -> -b.usage().fraction()).thenComparing(BucketUsage::key));
        return new CaBudget(ca, staging, Instant.ofEpochMilli(now), out);
    }

    /**
     * {@link #now(String, boolean)} plus every bucket {@code applicable} would draw from, full ones included: the
     * account, each registered domain and each exact name set of the managed certificates — so a workspace with no
     * history yet shows what it may issue ("example.co.uk: 50 of 50 new certificates per registered domain left").
     */
    public CaBudget now(String ca, boolean staging, List<CertificateRequest> applicable) {
        CaBudget used = now(ca, staging);
        long now = used.at().toEpochMilli();
        String scope = LimitTable.scope(ca, staging);
        List<BucketUsage> out = new ArrayList<>(used.buckets());
        Set<String> seen = new HashSet<>();
        out.forEach(u -> seen.add(u.kind() + " " + u.key()));
        for (Map.Entry<LimitKind, Bucket> kb : ledger.limits().buckets(ca, staging).entrySet()) {
            if (!kb.getKey().spentByIssuance()) continue;
            for (CertificateRequest r : applicable) {
                if (!r.ca().equals(ca) || r.staging() != staging) continue;
                Set<String> keys = switch (kb.getKey()) {
                    case NEW_ORDERS_PER_ACCOUNT -> Set.of(r.account());
                    case NEW_CERTS_PER_REGISTERED_DOMAIN -> RegisteredDomains.of(r.names());
                    case NEW_CERTS_PER_EXACT_SET -> Set.of(NameSet.of(r.names()).key());
                    default -> Set.of();
                };
                for (String key : keys) {
                    if (seen.add(kb.getKey() + " " + key)) out.add(usage(ca, staging, kb.getKey(), key, kb.getValue(), ledger.tat(scope, kb.getKey(), key), now));
                }
            }
        }
        out.sort(Comparator.comparing((BucketUsage b) -> b.kind().ordinal())
                .thenComparing(b -> -b.usage().fraction()).thenComparing(BucketUsage::key));
        return new CaBudget(ca, staging, used.at(), out);
    }

    /** The usage of every registered domain this CA scope has seen (full ones included). */
    public List<BucketUsage> domains(String ca, boolean staging) {
        long now = clock.millis();
        Optional<Bucket> b = ledger.limits().bucket(ca, staging, LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN);
        if (b.isEmpty()) return List.of();
        List<BucketUsage> out = new ArrayList<>();
        ledger.tats(LimitTable.scope(ca, staging), LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN)
                .forEach((key, tat) -> out.add(usage(ca, staging, LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN, key, b.get(), tat, now)));
        return out;
    }

    /** The per-registered-domain bucket for any name (its registered domain is found through the PSL). */
    public Optional<BucketUsage> domain(String ca, boolean staging, String name) {
        return bucket(ca, staging, LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN, RegisteredDomains.of(name));
    }

    /** The new-orders bucket of an account. */
    public Optional<BucketUsage> account(String ca, boolean staging, String account) {
        return bucket(ca, staging, LimitKind.NEW_ORDERS_PER_ACCOUNT, account);
    }

    /** The exact-set bucket of these names. */
    public Optional<BucketUsage> nameSet(String ca, boolean staging, List<String> names) {
        return bucket(ca, staging, LimitKind.NEW_CERTS_PER_EXACT_SET, NameSet.of(names).key());
    }

    /** One bucket by kind and key; empty when the CA scope has no such limit. */
    public Optional<BucketUsage> bucket(String ca, boolean staging, LimitKind kind, String key) {
        long now = clock.millis();
        return ledger.limits().bucket(ca, staging, kind).map(b ->
                usage(ca, staging, kind, key, b, ledger.tat(LimitTable.scope(ca, staging), kind, key), now));
    }

    /** If these certificates were all sent now, in this order: which the CA accepts, which it refuses and when each could go. */
    public Forecast forecast(List<CertificateRequest> inOrder) {
        return forecast(inOrder, clock.instant(), Duration.ZERO);
    }

    /** If these certificates were sent in this order, the i-th at {@code start + i × interval}: what the CA would do. */
    public Forecast forecast(List<CertificateRequest> inOrder, Instant start, Duration interval) {
        long now = clock.millis();
        Scheduler s = new Scheduler(ledger, now, 1.0);
        List<PlanEntry> out = new ArrayList<>();
        for (int i = 0; i < inOrder.size(); i++) {
            out.add(s.schedule(inOrder.get(i), Math.max(now, start.toEpochMilli() + i * interval.toMillis())));
        }
        return new Forecast(Instant.ofEpochMilli(now), out);
    }

    /** When to issue each certificate (priority order) without crossing the safety line; with override, without crossing the CA's capacity. */
    public Plan plan(List<CertificateRequest> inPriorityOrder, boolean override) {
        long now = clock.millis();
        Scheduler s = new Scheduler(ledger, now, override ? 1.0 : safetyLine);
        List<PlanEntry> out = inPriorityOrder.stream().map(r -> s.schedule(r, now)).toList();
        return new Plan(Instant.ofEpochMilli(now), safetyLine, override, out);
    }

    /** The guard issuance consults before sending an order. */
    public GuardDecision check(CertificateRequest request, boolean override) {
        long now = clock.millis();
        PlanEntry atCapacity = new Scheduler(ledger, now, 1.0).schedule(request, now);
        if (!atCapacity.asWanted()) {
            return new GuardDecision.Refused("the CA would refuse " + request.certificateId() + ": "
                    + atCapacity.heldBy().orElse("limit reached") + "; do not send it before " + atCapacity.at()
                    + " (a refused order costs budget too)", atCapacity.at());
        }
        if (override) return new GuardDecision.Allowed();
        PlanEntry underLine = new Scheduler(ledger, now, safetyLine).schedule(request, now);
        if (!underLine.asWanted()) {
            return new GuardDecision.NeedsOverride(request.certificateId() + " would cross the " + Math.round(safetyLine * 100)
                    + "% safety line: " + underLine.heldBy().orElse("limit near") + "; override to go up to the CA's limit now,"
                    + " or wait until " + underLine.at(), underLine.at());
        }
        return new GuardDecision.Allowed();
    }

    private BucketUsage usage(String ca, boolean staging, LimitKind kind, String key, Bucket b, long tat, long now) {
        Optional<CaRefusal> r = ledger.refusal(LimitTable.scope(ca, staging), kind, key, now);
        long blocked = r.map(x -> x.retryAfter().toEpochMilli()).orElse(0L);
        return new BucketUsage(ca, staging, kind, key, b, TokenBucketMath.usage(tat, b, now, blocked), r);
    }
}

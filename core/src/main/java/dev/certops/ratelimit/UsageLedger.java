package dev.certops.ratelimit;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.startup.StartupTrace;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate-limit usage built from history: every order, issuance, failed authorization, new account,
 * rateLimited answer and imported issuance, ingested incrementally by seq (the last seq seen is kept,
 * so {@link #catchUp} reads only new events).
 *
 * <p>Indexes, per CA scope: per account (orders), per registered domain, per exact name set, per
 * account + identifier (authorization failures, consecutive failures). Each bucket is kept as its GCRA
 * state (one number, see {@link TokenBucketMath}) rather than a list of timestamps: that is exact even when
 * a backlog from before the window still weighs on it, and makes every budget query a hash lookup.
 * Buckets that are full again are swept away, so memory follows the longest window, not the history size.
 * The bucket values come from the {@link LimitTable}; after a change of limits, build a new ledger and
 * replay (a million events take about a second).
 *
 * <p>Events are expected roughly in time order (history is). An imported issuance older than what is
 * already counted is still charged in full, which can only overstate usage, never understate it.
 */
public final class UsageLedger {
    private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
    static final String THIS_MACHINE = "this machine";
    private static final int SWEEP_EVERY = 100_000;
    /** The kinds that move a bucket; the rest of history (intents, leases, scans, deploys: most of it) is not read. */
    static final Set<String> RELEVANT = Set.of(EventKinds.ACME_ORDER_CREATED, EventKinds.ACME_CERT_ISSUED, EventKinds.ACME_AUTHZ_FAILED,
            EventKinds.ACME_AUTHZ_VALID, EventKinds.ACME_RATE_LIMITED, EventKinds.ACME_ACCOUNT_CREATED, EventKinds.RATELIMIT_IMPORTED);

    private final LimitTable limits;
    private final Map<String, ScopeState> scopes = new HashMap<>();
    private final LedgerIngest ingest = new LedgerIngest(this);
    private long lastSeq;
    /** The chain hash of the event at {@link #lastSeq} (empty: none seen, or one without a hash): what a snapshot checks. */
    private String lastHash = "";
    private long latestTime;
    private long sinceSweep;
    /** Relevant events counted, here or in the snapshot this ledger was restored from. */
    private long counted;

    public UsageLedger(LimitTable limits) {
        this.limits = limits;
    }

    public LimitTable limits() { return limits; }

    /** Reads the events after the last one seen. */
    public void catchUp(HistoryStore store) throws HistoryException {
        try (StartupTrace.Phase p = StartupTrace.phase("rate-limit ledger: history read")) {
            store.forEach(EventQuery.all().afterSeq(lastSeq()).kinds(RELEVANT), this::ingest);
        }
    }

    /** Takes one event into the indexes; events at or below the last seq seen are ignored (idempotent). */
    public synchronized void ingest(HistoryEvent e) {
        if (e.seq() > 0 && e.seq() <= lastSeq) return;
        if (e.seq() > lastSeq) {
            lastSeq = e.seq();
            lastHash = e.hash() == null ? "" : e.hash();
        }
        if (!relevant(e.kind())) return;
        counted++;
        Json.Flat d;
        try {
            d = Json.flat(e.details());   // the streaming parser alone: no object mapper for the ledger
        } catch (IOException ex) {
            LOG.warn("history event {} ({}) has unreadable details; it is not counted against rate limits", e.seq(), e.kind());
            return;
        }
        String ca = d.text("ca", "");
        if (ca.isEmpty()) return;
        ScopeState s = scopes.computeIfAbsent(LimitTable.scope(ca, d.bool("staging")), k -> new ScopeState());
        ingest.apply(e, d, ca, s);
        latestTime = Math.max(latestTime, e.time().toEpochMilli());
        if (++sinceSweep >= SWEEP_EVERY) {
            sinceSweep = 0;
            scopes.values().forEach(st -> st.sweep(latestTime));
        }
    }

    public synchronized long lastSeq() { return lastSeq; }

    synchronized String lastHash() { return lastHash; }

    /** Relevant events counted so far (those read here and those the snapshot it was restored from had counted). */
    public synchronized long counted() { return counted; }

    /**
     * Everything the ledger knows, as plain values (maps, lists, strings, numbers): what {@link LedgerSnapshot}
     * writes. Taken under the lock, so it is the state as of one event.
     */
    synchronized Map<String, Object> toPlain() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lastSeq", lastSeq);
        m.put("lastHash", lastHash);
        m.put("latestTime", latestTime);
        m.put("sinceSweep", sinceSweep);
        m.put("counted", counted);
        Map<String, Object> sc = new TreeMap<>();
        scopes.forEach((name, st) -> sc.put(name, st.toPlain()));
        m.put("scopes", sc);
        return m;
    }

    /**
     * A ledger with these limits in the state {@link #toPlain} gave.
     *
     * @throws IllegalArgumentException naming what is missing or of the wrong shape
     */
    static UsageLedger fromPlain(LimitTable limits, Map<?, ?> m) {
        UsageLedger l = new UsageLedger(limits);
        l.lastSeq = Json.Plain.number(m.get("lastSeq"));
        l.lastHash = Json.Plain.text(m.get("lastHash"));
        l.latestTime = Json.Plain.number(m.get("latestTime"));
        l.sinceSweep = Json.Plain.number(m.get("sinceSweep"));
        l.counted = Json.Plain.number(m.get("counted"));
        Json.Plain.map(m.get("scopes")).forEach((name, st) -> l.scopes.put(Json.Plain.text(name), ScopeState.fromPlain(Json.Plain.map(st))));
        return l;
    }

    private static boolean relevant(String kind) { return RELEVANT.contains(kind); }

    // ---- reads (BudgetService), each a copy taken under the lock

    synchronized long tat(String scope, LimitKind kind, String key) {
        ScopeState s = scopes.get(scope);
        return s == null ? 0 : s.tat(kind, key);
    }

    synchronized Map<String, Long> tats(String scope, LimitKind kind) {
        ScopeState s = scopes.get(scope);
        Map<String, Long> m = s == null ? null : s.tats.get(kind);
        return m == null ? Map.of() : new HashMap<>(m);
    }

    synchronized Optional<CaRefusal> refusal(String scope, LimitKind kind, String key, long now) {
        ScopeState s = scopes.get(scope);
        CaRefusal r = s == null ? null : s.refusals.get(kind + " " + key);
        return r != null && r.retryAfter().toEpochMilli() > now ? Optional.of(r) : Optional.empty();
    }

    /** Whether the CA's answers hold any bucket of this kind in this scope empty at {@code now}. */
    synchronized boolean refuses(String scope, LimitKind kind, long now) {
        ScopeState s = scopes.get(scope);
        if (s == null) return false;
        for (CaRefusal r : s.refusals.values()) if (r.kind() == kind && r.retryAfter().toEpochMilli() > now) return true;
        return false;
    }

    synchronized List<CaRefusal> refusals(String scope, long now) {
        ScopeState s = scopes.get(scope);
        if (s == null) return List.of();
        return s.refusals.values().stream().filter(r -> r.retryAfter().toEpochMilli() > now).toList();
    }

    /** How the CA will treat a new order for these names (renewal detection for the forecast and the guard). */
    synchronized Exemption exemption(String scope, NameSet set, Optional<String> replaces) {
        ScopeState s = scopes.computeIfAbsent(scope, k -> new ScopeState());
        return LedgerIngest.exemption(s, set, replaces, false);
    }

    synchronized List<String> scopes() { return new ArrayList<>(scopes.keySet()); }
}

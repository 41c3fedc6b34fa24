package dev.certops.ratelimit;

import static dev.certops.json.Json.Plain.list;
import static dev.certops.json.Json.Plain.map;
import static dev.certops.json.Json.Plain.number;
import static dev.certops.json.Json.Plain.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The ledger's indexes for one CA scope (CA id + production/staging). Not thread-safe: the ledger locks. */
final class ScopeState {
    /** Per limit, per bucket key: the bucket's TAT (epoch ms). */
    final Map<LimitKind, Map<String, Long>> tats = new EnumMap<>(LimitKind.class);
    /** Every exact name set ever issued in this scope (renewal detection). */
    final Set<String> issuedSets = new HashSet<>();
    /** Serial (lower-case hex, no leading zeros) → name-set key, to check ARI replacements and de-duplicate imports. */
    final Map<String, String> serialToSet = new HashMap<>();
    /** Serials already replaced through ARI ({@code replaces}); a second replacement is not exempt. */
    final Set<String> replaced = new HashSet<>();
    /** Orders not yet issued, by subject (certificate id): the exemption decided when they were sent. */
    final Map<String, Exemption> pendingOrders = new HashMap<>();
    /** The CA's rateLimited answers, by kind + " " + key. */
    final Map<String, CaRefusal> refusals = new HashMap<>();

    Map<String, Long> bucket(LimitKind kind) {
        return tats.computeIfAbsent(kind, k -> new HashMap<>());
    }

    long tat(LimitKind kind, String key) {
        Map<String, Long> m = tats.get(kind);
        Long v = m == null ? null : m.get(key);
        return v == null ? 0L : v;
    }

    /** Drops buckets full before {@code before}: they hold nothing the future can see. */
    void sweep(long before) {
        for (Map<String, Long> m : tats.values()) m.values().removeIf(tat -> tat < before);
    }

    // ---- the plain form a ledger snapshot keeps (maps, lists, strings, numbers; sorted, so equal states write equal text)

    Map<String, Object> toPlain() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> t = new TreeMap<>();
        tats.forEach((kind, bucket) -> { if (!bucket.isEmpty()) t.put(kind.name(), new TreeMap<>(bucket)); });
        m.put("tats", t);
        m.put("issuedSets", new ArrayList<>(new TreeSet<>(issuedSets)));
        m.put("serialToSet", new TreeMap<>(serialToSet));
        m.put("replaced", new ArrayList<>(new TreeSet<>(replaced)));
        Map<String, Object> pending = new TreeMap<>();
        pendingOrders.forEach((subject, ex) -> pending.put(subject, ex.name()));
        m.put("pendingOrders", pending);
        List<Object> r = new ArrayList<>();
        new TreeMap<>(refusals).values().forEach(x -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("kind", x.kind().name());
            one.put("key", x.key());
            one.put("retryAfter", x.retryAfter().toEpochMilli());
            one.put("detail", x.detail());
            r.add(one);
        });
        m.put("refusals", r);
        return m;
    }

    /** The inverse of {@link #toPlain}; anything not of the expected shape is an {@link IllegalArgumentException}. */
    static ScopeState fromPlain(Map<?, ?> m) {
        ScopeState s = new ScopeState();
        map(m.get("tats")).forEach((kind, bucket) -> {
            Map<String, Long> b = s.bucket(LimitKind.valueOf(text(kind)));
            map(bucket).forEach((key, tat) -> b.put(text(key), number(tat)));
        });
        list(m.get("issuedSets")).forEach(x -> s.issuedSets.add(text(x)));
        map(m.get("serialToSet")).forEach((serial, set) -> s.serialToSet.put(text(serial), text(set)));
        list(m.get("replaced")).forEach(x -> s.replaced.add(text(x)));
        map(m.get("pendingOrders")).forEach((subject, ex) -> s.pendingOrders.put(text(subject), Exemption.valueOf(text(ex))));
        list(m.get("refusals")).forEach(x -> {
            Map<?, ?> one = map(x);
            CaRefusal r = new CaRefusal(LimitKind.valueOf(text(one.get("kind"))), text(one.get("key")),
                    Instant.ofEpochMilli(number(one.get("retryAfter"))), text(one.get("detail")));
            s.refusals.put(r.kind() + " " + r.key(), r);
        });
        return s;
    }
}

package dev.certops.ratelimit;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
}

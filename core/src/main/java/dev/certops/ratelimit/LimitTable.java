package dev.certops.ratelimit;

import dev.certops.config.CaConfig;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The limits in force per CA scope (CA id + production/staging): the CA entry's preset with its
 * {@code limits:} overrides applied. A CA not configured here has no known limits.
 */
public final class LimitTable {
    private final Map<String, Map<LimitKind, Bucket>> byScope = new HashMap<>();

    private LimitTable() { }

    /**
     * Builds the table from the configured CAs.
     *
     * @throws IllegalArgumentException naming the CA and the bad preset, override key or refill, and what is valid
     */
    public static LimitTable from(List<CaConfig> cas) {
        LimitTable t = new LimitTable();
        for (CaConfig ca : cas) {
            String presetName = ca.limits() == null || ca.limits().isBlank() ? "none" : ca.limits();
            RateLimitPresets.Preset preset = RateLimitPresets.byName(presetName).orElseThrow(() -> new IllegalArgumentException(
                    "CA '" + ca.id() + "': unknown rate-limit preset '" + presetName + "'; use one of letsencrypt, letsencrypt-staging, none"
                            + " (and override single values under limits:)"));
            Map<LimitKind, Bucket> prod = preset.buckets();
            Map<LimitKind, Bucket> staging = RateLimitPresets.stagingTwin(preset).buckets();
            t.byScope.put(scope(ca.id(), false), merge(prod, overrides(ca, prod)));
            t.byScope.put(scope(ca.id(), true), merge(staging, overrides(ca, staging)));
        }
        return t;
    }

    /** A table with explicit buckets for one CA (production and staging alike); for tests and tools. */
    public static LimitTable of(String caId, Map<LimitKind, Bucket> buckets) {
        LimitTable t = new LimitTable();
        t.byScope.put(scope(caId, false), Map.copyOf(buckets));
        t.byScope.put(scope(caId, true), Map.copyOf(buckets));
        return t;
    }

    public Optional<Bucket> bucket(String caId, boolean staging, LimitKind kind) {
        return Optional.ofNullable(byScope.getOrDefault(scope(caId, staging), Map.of()).get(kind));
    }

    public Map<LimitKind, Bucket> buckets(String caId, boolean staging) {
        return byScope.getOrDefault(scope(caId, staging), Map.of());
    }

    /** Whether any CA scope has a limit of this kind (none: what only that limit needs, the suffix list, is not looked up). */
    public boolean anyBucket(LimitKind kind) {
        for (Map<LimitKind, Bucket> m : byScope.values()) if (m.containsKey(kind)) return true;
        return false;
    }

    /** The longest refill-from-empty window of any configured bucket (how far back history matters most). */
    public Duration longestWindow() {
        return byScope.values().stream().flatMap(m -> m.values().stream()).map(Bucket::window)
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * Every scope's buckets in one line, sorted ("scope: kind capacity/refill ms, …; …"): equal for equal tables, so a
     * saved ledger can tell whether it was counted under the limits in force now.
     */
    public String canonical() {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(byScope).forEach((scope, buckets) -> {
            b.append(scope).append(':');
            new TreeMap<>(buckets).forEach((kind, bucket) ->
                    b.append(' ').append(kind.name()).append(' ').append(bucket.capacity()).append('/').append(bucket.refillMillis()));
            b.append(';');
        });
        return b.toString();
    }

    static String scope(String caId, boolean staging) { return staging ? caId + " (staging)" : caId; }

    /** An override may give only a capacity (refill kept) or only a refill (capacity kept) when the preset has the limit. */
    private static Map<LimitKind, Bucket> overrides(CaConfig ca, Map<LimitKind, Bucket> preset) {
        Map<LimitKind, Bucket> m = new EnumMap<>(LimitKind.class);
        if (ca.limitOverrides() == null) return m;
        ca.limitOverrides().forEach((key, o) -> {
            LimitKind kind = LimitKind.byConfigKey(key).orElseThrow(() -> new IllegalArgumentException(
                    "CA '" + ca.id() + "': unknown limit '" + key + "' under limits:; valid names are " + LimitKind.configKeys()));
            Bucket base = preset.get(kind);
            try {
                boolean noRefill = o.refill() == null || o.refill().isBlank();
                if (base == null && (o.capacity() < 1 || noRefill)) {
                    throw new IllegalArgumentException("the preset has no such limit, so give both capacity and refill, e.g."
                            + " { capacity: 300, refill: \"1/36s\" }");
                }
                long capacity = o.capacity() >= 1 ? o.capacity() : base.capacity();
                m.put(kind, new Bucket(capacity, noRefill ? base.refill() : Bucket.parseRefill(o.refill())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CA '" + ca.id() + "', limits." + key + ": " + e.getMessage(), e);
            }
        });
        return m;
    }

    private static Map<LimitKind, Bucket> merge(Map<LimitKind, Bucket> preset, Map<LimitKind, Bucket> overrides) {
        Map<LimitKind, Bucket> m = new EnumMap<>(LimitKind.class);
        m.putAll(preset);
        m.putAll(overrides);
        return Map.copyOf(m);
    }
}

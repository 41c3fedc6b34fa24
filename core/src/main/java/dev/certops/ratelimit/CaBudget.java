package dev.certops.ratelimit;

import java.time.Instant;
import java.util.List;

/** Every non-full bucket of one CA scope at one moment, by limit kind then most used first. */
public record CaBudget(String ca, boolean staging, Instant at, List<BucketUsage> buckets) {
    public CaBudget { buckets = List.copyOf(buckets); }

    public List<BucketUsage> of(LimitKind kind) {
        return buckets.stream().filter(b -> b.kind() == kind).toList();
    }
}

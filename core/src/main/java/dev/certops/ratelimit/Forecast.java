package dev.certops.ratelimit;

import java.time.Instant;
import java.util.List;

/**
 * What the CA would do with these certificates sent in this order, at its full capacity
 * (no safety line): which go when wanted, which it would refuse, and the earliest each refused one could go.
 */
public record Forecast(Instant at, List<PlanEntry> entries) {
    public Forecast { entries = List.copyOf(entries); }

    public List<PlanEntry> accepted() { return entries.stream().filter(PlanEntry::asWanted).toList(); }
    public List<PlanEntry> refused() { return entries.stream().filter(e -> !e.asWanted()).toList(); }
}

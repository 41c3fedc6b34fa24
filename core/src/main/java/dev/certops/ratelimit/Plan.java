package dev.certops.ratelimit;

import java.time.Instant;
import java.util.List;

/**
 * When to issue each certificate, in priority order, so that no bucket goes above the safety line
 * (or, with {@code override}, above the CA's capacity). The mass-revocation runbook follows it.
 */
public record Plan(Instant at, double safetyLine, boolean override, List<PlanEntry> entries) {
    public Plan { entries = List.copyOf(entries); }

    /** The entries that can go now. */
    public List<PlanEntry> now() { return entries.stream().filter(PlanEntry::asWanted).toList(); }
    /** The entries that must wait, each with its time. */
    public List<PlanEntry> later() { return entries.stream().filter(e -> !e.asWanted()).toList(); }
}

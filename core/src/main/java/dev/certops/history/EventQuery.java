package dev.certops.history;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * A filter over history. Empty fields match everything. {@code kindPrefix} matches "acme." etc.;
 * {@code kinds} these kinds exactly (empty: any).
 * {@code since} is inclusive, {@code until} exclusive; {@code afterSeq} returns events with a greater seq.
 * Results are in chain order (ascending seq); {@code limit} 0 means no limit.
 */
public record EventQuery(Optional<Instant> since, Optional<Instant> until, Optional<String> kindPrefix,
                         Set<String> kinds, Optional<String> subject, long afterSeq, int limit) {
    public EventQuery {
        kinds = Set.copyOf(kinds);
    }

    public static EventQuery all() {
        return new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 0, 0);
    }
    public EventQuery since(Instant t) { return new EventQuery(Optional.of(t), until, kindPrefix, kinds, subject, afterSeq, limit); }
    public EventQuery until(Instant t) { return new EventQuery(since, Optional.of(t), kindPrefix, kinds, subject, afterSeq, limit); }
    public EventQuery kind(String prefix) { return new EventQuery(since, until, Optional.of(prefix), kinds, subject, afterSeq, limit); }
    public EventQuery subject(String s) { return new EventQuery(since, until, kindPrefix, kinds, Optional.of(s), afterSeq, limit); }
    public EventQuery afterSeq(long seq) { return new EventQuery(since, until, kindPrefix, kinds, subject, seq, limit); }
    /** Only events of these kinds (the database selects them: the rest is never read). */
    public EventQuery kinds(Collection<String> k) { return new EventQuery(since, until, kindPrefix, Set.copyOf(k), subject, afterSeq, limit); }
    public EventQuery limit(int n) { return new EventQuery(since, until, kindPrefix, kinds, subject, afterSeq, n); }
}

package dev.certops.history;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter over history. Empty fields match everything. {@code kindPrefix} matches "acme." etc.
 * {@code since} is inclusive, {@code until} exclusive; {@code afterSeq} returns events with a greater seq.
 * Results are in chain order (ascending seq); {@code limit} 0 means no limit.
 */
public record EventQuery(Optional<Instant> since, Optional<Instant> until, Optional<String> kindPrefix,
                         Optional<String> subject, long afterSeq, int limit) {
    public static EventQuery all() {
        return new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 0);
    }
    public EventQuery since(Instant t) { return new EventQuery(Optional.of(t), until, kindPrefix, subject, afterSeq, limit); }
    public EventQuery until(Instant t) { return new EventQuery(since, Optional.of(t), kindPrefix, subject, afterSeq, limit); }
    public EventQuery kind(String prefix) { return new EventQuery(since, until, Optional.of(prefix), subject, afterSeq, limit); }
    public EventQuery subject(String s) { return new EventQuery(since, until, kindPrefix, Optional.of(s), afterSeq, limit); }
    public EventQuery afterSeq(long seq) { return new EventQuery(since, until, kindPrefix, subject, seq, limit); }
    public EventQuery limit(int n) { return new EventQuery(since, until, kindPrefix, subject, afterSeq, n); }
}

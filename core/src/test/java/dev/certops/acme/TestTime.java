package dev.certops.acme;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The time seam for failover tests: a clock that runs with real time plus whatever the service
 * "slept" for backoff or a Retry-After. Sleeping only moves this clock forward and is recorded, so
 * tests see the waits the policy chose without waiting them.
 */
final class TestTime extends Clock implements Poller.Sleeper {
    private final AtomicLong skippedMillis = new AtomicLong();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration d) {
        waits.add(d);
        skippedMillis.addAndGet(Math.max(0, d.toMillis()));
    }

    /** Every backoff or Retry-After wait the service chose, in order. */
    List<Duration> waits() { return List.copyOf(waits); }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return Instant.now().plusMillis(skippedMillis.get()); }
}

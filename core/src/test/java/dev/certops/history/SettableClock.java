package dev.certops.history;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so events get the times a scenario needs. */
final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant start) { this.now = start; }

    void set(Instant t) { now = t; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
}

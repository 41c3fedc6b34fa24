package dev.certops.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so events get the times a scenario needs. */
public final class SettableClock extends Clock {
    private volatile Instant now;

    public SettableClock(Instant start) { this.now = start; }

    public void set(Instant t) { now = t; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
}

package dev.certops.acme.dns;

import java.time.Duration;

/** Optional ability: a provider that knows how long its records take to appear. */
public interface PropagationSettings {
    /** How long to wait for the record to be visible before giving up. */
    Duration propagationTimeout();

    /** How often to look. */
    Duration pollInterval();

    /** The port the zone's authoritative servers answer on: 53, except in labs. */
    default int nameserverPort() { return 53; }
}

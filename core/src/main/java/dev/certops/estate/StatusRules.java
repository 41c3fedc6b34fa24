package dev.certops.estate;

import dev.certops.config.Thresholds;
import java.time.Duration;
import java.time.Instant;

/**
 * Status by thresholds. Certificates of 90 days or more: the configured thresholds (default 30 /
 * 15 / 7 days left → warning / critical / emergency). Shorter lifetimes (45-day and 6-day
 * certificates exist) use fractions of the lifetime instead: 1/3, 1/6 and 1/12 with the default
 * thresholds, each fraction scaled by how far the configured threshold is from its default (a
 * configured warning of 45 days makes the short-lifetime warning 1/2 of the lifetime).
 */
public final class StatusRules {
    private static final Duration FULL = Duration.ofDays(90);
    private static final double[] FRACTIONS = {1.0 / 3, 1.0 / 6, 1.0 / 12};

    private StatusRules() { }

    public static Status of(Instant notBefore, Instant notAfter, Thresholds t, Instant now) {
        if (!now.isBefore(notAfter)) return Status.EXPIRED;
        long left = Duration.between(now, notAfter).toSeconds();
        Duration lifetime = Duration.between(notBefore, notAfter);
        if (left <= limit(t.emergency(), Thresholds.DEFAULT.emergency(), FRACTIONS[2], lifetime)) return Status.EMERGENCY;
        if (left <= limit(t.critical(), Thresholds.DEFAULT.critical(), FRACTIONS[1], lifetime)) return Status.CRITICAL;
        if (left <= limit(t.warning(), Thresholds.DEFAULT.warning(), FRACTIONS[0], lifetime)) return Status.WARNING;
        return Status.OK;
    }

    /** Seconds left at or below which a threshold is reached. */
    private static double limit(Duration configured, Duration byDefault, double fraction, Duration lifetime) {
        if (lifetime.compareTo(FULL) >= 0) return configured.toSeconds();
        return lifetime.toSeconds() * fraction * configured.toSeconds() / byDefault.toSeconds();
    }
}

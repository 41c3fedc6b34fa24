package dev.certops.estate;

import dev.certops.config.Thresholds;
import java.time.Duration;
import java.time.Instant;

/**
 * Status by thresholds: the configured ones (default 30 / 15 / 7 days) for certificates of 90 days
 * or more; for shorter lifetimes they scale with the lifetime (1/3, 1/6, 1/12 of it by default) —
 * 45-day and 6-day certificates exist, so nothing assumes 90 days.
 */
public final class StatusRules {
    private static final Duration FULL = Duration.ofDays(90);

    private StatusRules() { }

    public static Status of(Instant notBefore, Instant notAfter, Thresholds t, Instant now) {
        if (!now.isBefore(notAfter)) return Status.EXPIRED;
        Duration left = Duration.between(now, notAfter);
        Duration lifetime = Duration.between(notBefore, notAfter);
        double scale = lifetime.compareTo(FULL) >= 0 ? 1.0 : (double) lifetime.toSeconds() / FULL.toSeconds();
        if (left.toSeconds() <= t.emergency().toSeconds() * scale) return Status.EMERGENCY;
        if (left.toSeconds() <= t.critical().toSeconds() * scale) return Status.CRITICAL;
        if (left.toSeconds() <= t.warning().toSeconds() * scale) return Status.WARNING;
        return Status.OK;
    }
}

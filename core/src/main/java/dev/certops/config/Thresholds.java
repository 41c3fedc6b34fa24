package dev.certops.config;

import java.time.Duration;

/**
 * Status thresholds for certificates of 90 days or more (default 30 / 15 / 7 days); shorter
 * lifetimes are scaled (1/3, 1/6, 1/12 of the lifetime).
 */
public record Thresholds(Duration warning, Duration critical, Duration emergency) {
    public static final Thresholds DEFAULT = new Thresholds(Duration.ofDays(30), Duration.ofDays(15), Duration.ofDays(7));
}

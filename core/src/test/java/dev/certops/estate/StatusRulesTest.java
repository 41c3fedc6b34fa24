package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Thresholds;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Thresholds 30/15/7 days for 90-day certificates and longer; 1/3, 1/6, 1/12 of the lifetime for shorter ones. */
class StatusRulesTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @ParameterizedTest(name = "{0}-hour lifetime, {1} hours left → {2}")
    @CsvSource({
            // 90 days: 30 / 15 / 7 days
            "2160, 744, OK", "2160, 720, WARNING", "2160, 360, CRITICAL", "2160, 168, EMERGENCY", "2160, 0, EXPIRED",
            // 398 days: not scaled up, still 30 / 15 / 7 days
            "9552, 720, WARNING", "9552, 721, OK",
            // 45 days: 15 / 7.5 / 3.75 days
            "1080, 361, OK", "1080, 360, WARNING", "1080, 180, CRITICAL", "1080, 90, EMERGENCY",
            // 6 days: 48 / 24 / 12 hours
            "144, 49, OK", "144, 48, WARNING", "144, 24, CRITICAL", "144, 12, EMERGENCY", "144, -1, EXPIRED"})
    void statusScalesWithTheLifetime(long lifetimeHours, long hoursLeft, Status expected) {
        Instant notAfter = NOW.plus(Duration.ofHours(hoursLeft));
        Instant notBefore = notAfter.minus(Duration.ofHours(lifetimeHours));
        assertThat(StatusRules.of(notBefore, notAfter, Thresholds.DEFAULT, NOW)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aConfiguredThresholdScalesTheShortLifetimeFractionToo() {
        Thresholds early = new Thresholds(Duration.ofDays(45), Duration.ofDays(15), Duration.ofDays(7));
        Instant notAfter = NOW.plus(Duration.ofHours(70));
        assertThat(StatusRules.of(notAfter.minus(Duration.ofDays(6)), notAfter, early, NOW)).as("warning at 1/2 of 6 days").isEqualTo(Status.WARNING);
        assertThat(StatusRules.of(notAfter.minus(Duration.ofDays(6)), notAfter, Thresholds.DEFAULT, NOW)).as("default: 1/3").isEqualTo(Status.OK);
    }
}

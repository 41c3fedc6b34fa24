package dev.certops.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromOneHourAndCapsAtTwentyFourHours() {
        assertThat(Backoff.delay(0)).isZero();
        assertThat(Backoff.delay(1)).isEqualTo(Duration.ofHours(1));
        assertThat(Backoff.delay(2)).isEqualTo(Duration.ofHours(2));
        assertThat(Backoff.delay(3)).isEqualTo(Duration.ofHours(4));
        assertThat(Backoff.delay(5)).isEqualTo(Duration.ofHours(16));
        assertThat(Backoff.delay(6)).isEqualTo(Duration.ofHours(24));
        assertThat(Backoff.delay(40)).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void nextAttemptIsTheLastFailurePlusTheDelay() {
        Instant t = Instant.parse("2026-11-23T09:00:00Z");
        assertThat(Backoff.nextAttempt(t, 3)).isEqualTo(t.plus(Duration.ofHours(4)));
    }
}

package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TokenBucketMathTest {
    private static final Bucket FIVE_PER_HOUR = new Bucket(5, Duration.ofMinutes(12));
    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;

    private static long spendN(long tat, long at, int n, Bucket b) {
        for (int i = 0; i < n; i++) tat = TokenBucketMath.spend(tat, at, b);
        return tat;
    }

    @Test
    void spendingExactlyTheCapacityLeavesNothingAndTheNextSpendMustWaitOneRefill() {
        long tat = spendN(0, T0, 5, FIVE_PER_HOUR);
        Usage u = TokenBucketMath.usage(tat, FIVE_PER_HOUR, T0, 0);
        assertThat(u.used()).isEqualTo(5);
        assertThat(u.remaining()).isZero();
        assertThat(TokenBucketMath.earliest(tat, FIVE_PER_HOUR, 5, T0, 0)).isEqualTo(T0 + 12 * MIN);
    }

    @Test
    void oneTokenBelowCapacityStillAllowsASpendNow() {
        long tat = spendN(0, T0, 4, FIVE_PER_HOUR);
        assertThat(TokenBucketMath.usage(tat, FIVE_PER_HOUR, T0, 0).remaining()).isEqualTo(1);
        assertThat(TokenBucketMath.earliest(tat, FIVE_PER_HOUR, 5, T0, 0)).isEqualTo(T0);
    }

    @Test
    void aTokenComesBackExactlyAtTheRefillBoundaryNotAMillisecondBefore() {
        long tat = spendN(0, T0, 5, FIVE_PER_HOUR);
        assertThat(TokenBucketMath.usage(tat, FIVE_PER_HOUR, T0 + 12 * MIN - 1, 0).remaining()).isZero();
        Usage atBoundary = TokenBucketMath.usage(tat, FIVE_PER_HOUR, T0 + 12 * MIN, 0);
        assertThat(atBoundary.remaining()).isEqualTo(1);
        assertThat(atBoundary.nextTokenAt()).isEqualTo(Instant.ofEpochMilli(T0 + 24 * MIN));
        assertThat(atBoundary.fullAt()).isEqualTo(Instant.ofEpochMilli(T0 + 60 * MIN));
    }

    @Test
    void anEmptyBucketIsFullAgainAfterCapacityTimesRefill() {
        long tat = spendN(0, T0, 5, FIVE_PER_HOUR);
        Usage u = TokenBucketMath.usage(tat, FIVE_PER_HOUR, T0 + 60 * MIN, 0);
        assertThat(u.used()).isZero();
        assertThat(u.remaining()).isEqualTo(5);
        assertThat(u.nextTokenAt()).isEqualTo(u.fullAt()).isEqualTo(Instant.ofEpochMilli(T0 + 60 * MIN));
    }

    @Test
    void spendsBeyondCapacityAreCappedAtAFullBucketsWorth() {
        long tat = spendN(0, T0, 9, FIVE_PER_HOUR);
        assertThat(tat).isEqualTo(T0 + 60 * MIN);
    }

    @Test
    void aWindowSpanningADaylightSavingChangeRefillsByElapsedTimeNotWallClock() {
        ZoneId paris = ZoneId.of("Europe/Paris");   // 2026-03-29 02:00 CET jumps to 03:00 CEST
        long before = LocalDateTime.of(2026, 3, 29, 1, 30).atZone(paris).toInstant().toEpochMilli();
        long wallTwoHoursLater = LocalDateTime.of(2026, 3, 29, 3, 30).atZone(paris).toInstant().toEpochMilli();
        Bucket twoPerHour = new Bucket(2, Duration.ofHours(1));
        long tat = spendN(0, before, 2, twoPerHour);
        // the wall clock moved two hours, only one hour elapsed: one token is back, not two
        assertThat(TokenBucketMath.usage(tat, twoPerHour, wallTwoHoursLater, 0).remaining()).isEqualTo(1);
    }

    @Test
    void aClockSteppedBackwardsNeverShowsMoreThanCapacityUsedOrATokenTooEarly() {
        long tat = spendN(0, T0, 5, FIVE_PER_HOUR);
        Usage u = TokenBucketMath.usage(tat, FIVE_PER_HOUR, T0 - 30 * MIN, 0);
        assertThat(u.used()).isEqualTo(5);
        assertThat(u.remaining()).isZero();
        assertThat(u.nextTokenAt()).isEqualTo(Instant.ofEpochMilli(T0 + 12 * MIN));
    }

    @Test
    void theCasRetryAfterEmptiesTheBucketWhateverTheLocalCountSays() {
        long tat = spendN(0, T0, 1, FIVE_PER_HOUR);
        long retryAfter = T0 + 90 * MIN;
        Usage u = TokenBucketMath.usage(tat, FIVE_PER_HOUR, T0, retryAfter);
        assertThat(u.remaining()).isZero();
        assertThat(u.nextTokenAt()).isEqualTo(Instant.ofEpochMilli(retryAfter));
        assertThat(TokenBucketMath.earliest(tat, FIVE_PER_HOUR, 5, T0, retryAfter)).isEqualTo(retryAfter);
    }

    @Test
    void theSafetyLineIsFloorOfTheFractionButAlwaysAtLeastOneToken() {
        assertThat(TokenBucketMath.ceiling(new Bucket(50, Duration.ofMinutes(202)), 0.8)).isEqualTo(40);
        assertThat(TokenBucketMath.ceiling(new Bucket(5, Duration.ofHours(34)), 0.8)).isEqualTo(4);
        assertThat(TokenBucketMath.ceiling(new Bucket(1, Duration.ofHours(1)), 0.8)).isEqualTo(1);
    }

    @Test
    void refillRatesParseAsOneTokenPerPeriod() {
        assertThat(Bucket.parseRefill("1/36s")).isEqualTo(Duration.ofSeconds(36));
        assertThat(Bucket.parseRefill("300/3h")).isEqualTo(Duration.ofSeconds(36));
        assertThat(Bucket.parseRefill("1/202m")).isEqualTo(Duration.ofMinutes(202));
        assertThat(Bucket.parseRefill("1/1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Bucket.parseRefill("30000/1w")).isEqualTo(Duration.ofMillis(20_160));
    }

    @Test
    void anUnreadableRefillSaysWhatToWrite() {
        assertThatThrownBy(() -> Bucket.parseRefill("every 36 seconds"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"1/36s\"");
    }
}

package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollerTest {
    @Test
    void looksFirstAtOnceThenAfterTenMillisecondsDoublingToOneSecond() throws Exception {
        TestTime time = new TestTime();
        AtomicInteger looks = new AtomicInteger();
        boolean done = new Poller(time, time).until(Duration.ofMinutes(1), () -> looks.incrementAndGet() == 10);

        assertThat(done).isTrue();
        assertThat(looks).hasValue(10);
        assertThat(time.waits()).extracting(Duration::toMillis).containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L);
    }

    @Test
    void aResourceThatIsReadyAtTheFirstLookCostsNoWait() throws Exception {
        TestTime time = new TestTime();
        assertThat(new Poller(time, time).until(Duration.ofSeconds(5), () -> true)).isTrue();
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void afterAnAnswerThatIsNotFinalItPausesBeforeTheFirstLook() throws Exception {
        TestTime time = new TestTime();
        AtomicInteger looks = new AtomicInteger();
        boolean done = new Poller(time, time).afterPause(Duration.ofMinutes(1), () -> looks.incrementAndGet() == 3);

        assertThat(done).isTrue();
        assertThat(looks).hasValue(3);
        assertThat(time.waits()).extracting(Duration::toMillis).containsExactly(10L, 20L, 40L);
    }

    @Test
    void givesUpOnceTheDeadlineHasPassedWithoutWaitingBeyondIt() throws Exception {
        TestTime time = new TestTime();
        boolean done = new Poller(time, time).until(Duration.ofSeconds(3), () -> false);

        assertThat(done).isFalse();
        long waited = time.waits().stream().mapToLong(Duration::toMillis).sum();
        assertThat(waited).isBetween(3000L, 4000L); // the last pause may end past the deadline, by less than the longest pause
    }
}

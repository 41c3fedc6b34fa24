package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunExitTest {
    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration CRITICAL = Duration.ofDays(15);

    @Test
    void nothingFailedIsZero() {
        assertThat(code(List.of(), CRITICAL, NOW)).isZero();
    }

    @Test
    void failureWithTimeLeftBeforeCriticalIsRetried() {
        assertThat(code(List.of(new RunExit.Failure("www", Optional.of(NOW.plus(Duration.ofDays(25))), false)), CRITICAL, NOW))
                .isEqualTo(RunExit.RETRYING);
    }

    @Test
    void failureInsideCriticalThresholdNeedsAPerson() {
        assertThat(code(List.of(new RunExit.Failure("www", Optional.of(NOW.plus(Duration.ofDays(10))), false)), CRITICAL, NOW))
                .isEqualTo(RunExit.PERSON_NEEDED);
    }

    @Test
    void noCaPathWorkingNeedsAPerson() {
        assertThat(code(List.of(new RunExit.Failure("www", Optional.of(NOW.plus(Duration.ofDays(25))), true)), CRITICAL, NOW))
                .isEqualTo(RunExit.PERSON_NEEDED);
    }

    /** Inside the critical threshold: no certificate, or it expires within {@code critical} of {@code now}. */
    private static int code(List<RunExit.Failure> failures, Duration critical, Instant now) {
        return RunExit.code(failures, f -> f.notAfter().isEmpty() || !now.plus(critical).isBefore(f.notAfter().get()));
    }
}

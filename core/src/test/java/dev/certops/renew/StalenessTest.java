package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StalenessTest {
    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration STALE = Duration.ofHours(26);

    @Test
    void recentSuccessIsQuiet() {
        assertThat(Staleness.check(3, Optional.of(NOW.minus(Duration.ofHours(2))), STALE, NOW)).isEmpty();
    }

    @Test
    void noSuccessForStaleAfterWarnsWithWhatToCheck() {
        assertThat(Staleness.check(3, Optional.of(NOW.minus(Duration.ofHours(27))), STALE, NOW)).get().asString()
                .contains("for 1 d 3 h (last").contains("staleAfter 26h").contains("./certops schedule status");
    }

    @Test
    void anElapsedTimeOfNoWholeUnitReadsInDaysAndHoursNotSeconds() {
        assertThat(Staleness.check(3, Optional.of(NOW.minusSeconds(259201)), STALE, NOW)).get().asString()
                .contains("no renew run has succeeded for 3 d 0 h (last").doesNotContain("259201s");
    }

    @Test
    void neverSucceededWithManagedCertificatesWarns() {
        assertThat(Staleness.check(1, Optional.empty(), STALE, NOW)).get().asString().contains("never succeeded");
    }

    @Test
    void nothingManagedNeverWarns() {
        assertThat(Staleness.check(0, Optional.empty(), STALE, NOW)).isEmpty();
    }
}

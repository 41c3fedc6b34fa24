package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void humanShowsTheTwoLargestUnitsOfAnElapsedTime() {
        assertThat(Durations.human(Duration.ofSeconds(259201))).isEqualTo("3 d 0 h");
        assertThat(Durations.human(Duration.ofHours(27).plusMinutes(59))).isEqualTo("1 d 3 h");
        assertThat(Durations.human(Duration.ofMinutes(312).plusSeconds(5))).isEqualTo("5 h 12 min");
        assertThat(Durations.human(Duration.ofSeconds(2403))).isEqualTo("40 min 3 s");
        assertThat(Durations.human(Duration.ofMillis(12_900))).isEqualTo("12 s");
    }

    @Test
    void humanReadsANegativeElapsedTimeAsZero() {
        assertThat(Durations.human(Duration.ofSeconds(-5))).isEqualTo("0 s");
    }

    @Test
    void formatStaysTheConfigurationsWholeUnitSoItParsesBack() {
        for (String text : new String[] {"26h", "30d", "10m", "90s", "2w", "250ms"}) {
            assertThat(Durations.format(Durations.parse(text).orElseThrow())).isEqualTo(text);
        }
    }
}

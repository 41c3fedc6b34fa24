package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void formatStaysTheConfigurationsWholeUnitSoItParsesBack() {
        for (String text : new String[] {"26h", "30d", "10m", "90s", "2w", "250ms"}) {
            assertThat(Durations.format(Durations.parse(text).orElseThrow())).isEqualTo(text);
        }
    }
}

package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewMetricsTest {
    private static final Instant RUN = Instant.ofEpochSecond(1_795_000_000L);

    @Test
    void writesEveryMetricInTextfileFormat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prom/certops.prom");
        new RenewMetrics(RUN, Optional.of(RUN.minusSeconds(3600)), Map.of("www", Instant.ofEpochSecond(1_800_000_000L)),
                Map.of("www", 2L)).writeAtomically(file);
        assertThat(Files.readAllLines(file)).contains(
                "certops_renew_last_run_timestamp_seconds 1795000000",
                "certops_renew_last_success_timestamp_seconds 1794996400",
                "certops_certificate_expiry_timestamp_seconds{certificate=\"www\"} 1800000000",
                "certops_renew_failures_total{certificate=\"www\"} 2",
                "# TYPE certops_renew_failures_total counter");
        assertThat(dir.resolve("prom/certops.prom.tmp")).doesNotExist();
    }

    @Test
    void neverSucceededIsWrittenAsZero() {
        assertThat(new RenewMetrics(RUN, Optional.empty(), Map.of(), Map.of()).render())
                .contains("certops_renew_last_success_timestamp_seconds 0\n");
    }
}

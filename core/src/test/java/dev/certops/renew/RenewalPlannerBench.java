package dev.certops.renew;

import static dev.certops.renew.PlannerFixtures.NOW;
import static dev.certops.renew.PlannerFixtures.cert;
import static dev.certops.renew.PlannerFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.RenewConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("bench")
class RenewalPlannerBench {
    @Test
    void decidesTwoThousandCertificatesNoneDueWithinTwoHundredMillis() {
        List<RenewalInput> inputs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String name = "host" + i + ".example.test";
            inputs.add(RenewalInput.of(config("c" + i, name), List.of(
                    cert("a" + i, name, Duration.ofDays(70), Duration.ofDays(90)),
                    cert("b" + i, name, Duration.ofDays(10), Duration.ofDays(90)))));
        }
        RenewalPlanner planner = new RenewalPlanner(Clock.fixed(NOW, ZoneOffset.UTC), RenewConfig.DEFAULT,
                (id, w) -> { throw new AssertionError("no ARI"); });
        inputs.stream().map(planner::decide).toList(); // warm-up
        long t0 = System.nanoTime();
        List<RenewalDecision> out = inputs.stream().map(planner::decide).toList();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("RenewalPlannerBench: decided 2000 certificates (none due) in " + ms + " ms (limit 200 ms)");
        assertThat(out).allMatch(d -> d.action() == RenewalAction.NONE);
        assertThat(ms).isLessThanOrEqualTo(200);
    }
}

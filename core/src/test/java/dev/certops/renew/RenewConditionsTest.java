package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.alert.AlertCondition;
import dev.certops.config.Thresholds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenewConditionsTest {
    private final Instant now = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void aCertificateBackingOffAfterADeployFailureIsAlertedAsFailedAtDeploy() {
        RenewalDecision due = new RenewalDecision("api", RenewalAction.RENEW, "due", Optional.empty(), Optional.empty(), List.of());
        RenewOutcome backedOff = new RenewOutcome.BackedOff("api", now.plusSeconds(3600), 2, "deploy", "nginx -t failed on h1",
                Optional.empty(), false);

        List<AlertCondition> alerts = RenewConditions.of(List.of(due), List.of(backedOff), Map.of(), Thresholds.DEFAULT, now);

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.summary()).contains("failed at deploy");
            assertThat(a.facts()).containsEntry("stage", "deploy");
        });
    }
}

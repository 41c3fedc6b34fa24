package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.alert.AlertReceiver;
import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed {@code certops drill} reaches the alert channels as a DRILL_FAILED condition on the
 * runbook (real Pebbles as staging CAs, real nginx on a drill host, a real local HTTP receiver for a
 * webhook and a PagerDuty channel); the next drill that succeeds resolves it.
 */
class DrillAlertsEndToEndTest {
    @TempDir Path dir;
    RunbookLab lab;
    Workspace ws;
    AlertReceiver receiver;

    @BeforeEach
    void aDrillHostWithAlerts() throws Exception {
        lab = new RunbookLab(dir.resolve("lab"));
        RunbookLab.Site drillHost = lab.site("drill-1", 1, "drill.example.test", true);
        lab.startNginx();
        try (var session = lab.workspace("none", """
                  - id: drill-web
                    names: [drill.example.test]
                    challenge: { type: dns-01, dns: lab }
                    deploy: { waves: [[drill-1]] }
                    endpoints: [%s]
                """.formatted(drillHost.endpointYaml()))) {
            ws = session.workspace();
        }
        receiver = new AlertReceiver();
        Files.writeString(ws.configFile(), """
                alerts:
                  - { id: ops, type: webhook, url: "%s" }
                  - { id: pager, type: pagerduty, routingKey: routing-key-drill, url: "%s" }
                """.formatted(receiver.url("/hook"), receiver.url("/pd/v2/enqueue")), StandardOpenOption.APPEND);
    }

    @AfterEach
    void stop() {
        if (receiver != null) receiver.close();
        lab.close();
    }

    private CliRun drill() { return CliRun.run("drill", "--workspace", ws.root().toString()); }

    @Test
    void aFailedDrillAlertsOnceOnItsRunbookAndTheNextSuccessfulDrillResolvesIt() throws Exception {
        lab.secondary.stop();

        CliRun failed = drill();

        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(receiver.requests("/hook")).singleElement().satisfies(r -> {
            JsonNode j = r.json();
            assertThat(j.path("action").asText()).isEqualTo("trigger");
            assertThat(j.path("kind").asText()).isEqualTo("drill_failed");
            assertThat(j.path("subject").asText()).isEqualTo("quarterly-drill");
            assertThat(j.path("summary").asText()).startsWith("drill quarterly-drill failed at step probe[drill-web@backup-ca]: ").contains("backup-ca");
            assertThat(j.path("facts").path("step").asText()).isEqualTo("probe[drill-web@backup-ca]");
            assertThat(j.path("nextStep").asText()).startsWith("./certops history --subject ").endsWith(j.path("facts").path("run").asText());
        });
        assertThat(receiver.requests("/pd/v2/enqueue")).singleElement().satisfies(r -> {
            assertThat(r.json().path("event_action").asText()).isEqualTo("trigger");
            assertThat(r.json().path("dedup_key").asText()).isEqualTo("certops:drill_failed:quarterly-drill");
        });

        lab.secondary.start();
        CliRun ok = drill();

        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(receiver.requests("/hook")).hasSize(2).last().satisfies(r -> {
            assertThat(r.json().path("action").asText()).isEqualTo("resolve");
            assertThat(r.json().path("key").asText()).isEqualTo("drill_failed:quarterly-drill");
        });
        assertThat(receiver.requests("/pd/v2/enqueue")).hasSize(2).last().satisfies(r -> {
            assertThat(r.json().path("event_action").asText()).isEqualTo("resolve");
            assertThat(r.json().path("dedup_key").asText()).isEqualTo("certops:drill_failed:quarterly-drill");
        });
    }
}

package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.report.ReportFormats;
import dev.certops.report.RunReports;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunState;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in primary-ca-outage to the end, against real components: the primary Pebble is down,
 * the certificate is issued by the secondary Pebble, deployed to the canary host (wave 1, nginx on
 * 127.0.0.1) and proven served there while the second host (wave 2, nginx on 127.0.0.2) still
 * serves the old certificate; only then deployed to the second host and proven everywhere.
 */
class PrimaryCaOutageEndToEndTest {
    @TempDir Path dir;
    RunbookLab lab;
    RunbookLab.Site canary;
    RunbookLab.Site web2;
    CompositionRoot session;

    @BeforeEach
    void twoHostsServingTheOldCertificateAndThePrimaryCaDown() throws Exception {
        lab = new RunbookLab(dir);
        canary = lab.site("canary-1", 1, "api.example.test", false);
        web2 = lab.site("web-2", 2, "api.example.test", false);
        lab.startNginx();
        session = lab.workspace("none", """
                  - id: api
                    names: [api.example.test]
                    challenge: { type: dns-01, dns: lab }
                    deploy: { waves: [[canary-1], [web-2]] }
                    endpoints: [%s, %s]
                """.formatted(canary.endpointYaml(), web2.endpointYaml()));
        lab.primary.stop();
    }

    @AfterEach
    void stop() {
        if (session != null) session.close();
        if (lab != null) lab.close();
    }

    @Test
    void issuesFromTheSecondaryDeploysCanaryFirstVerifiesBothHostsAndReportsTheFailover() throws Exception {
        String old = lab.seedSerial();
        Run run = RunbookLab.start(session, "primary-ca-outage", Map.of("certificate", "api"), false);
        RunState s = run.advance();
        assertThat(s.current().orElseThrow().stepId()).as(s.steps().toString()).isEqualTo("issue");
        s = run.approve(); // issue
        assertThat(s.current().orElseThrow().stepId()).as(s.steps().toString()).isEqualTo("deploy-canary");
        StepState issue = step(s, "issue");
        String serial = (String) issue.outputs().get("serial");
        assertThat(issue.outputs()).containsEntry("ca", "backup-ca");
        assertThat(lab.secondary.certStatusBySerial(serial)).contains("Valid");

        s = run.approve(); // deploy-canary, then verify-canary runs on its own
        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(s.current().orElseThrow().stepId()).isEqualTo("deploy-rest");
        assertThat(step(s, "deploy-canary").outputs().get("deployed")).asList().containsExactly("api@canary-1");
        assertThat(step(s, "verify-canary").status()).isEqualTo(StepState.Status.SUCCEEDED);
        RunbookLab.awaitServed(canary.endpoint(), serial);
        assertThat(RunbookLab.served(web2.endpoint())).as("the second wave is untouched until approved").isEqualTo(old);

        s = run.approve(); // deploy-rest, verify-all
        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(step(s, "deploy-rest").outputs().get("deployed")).asList().containsExactly("api@web-2");
        assertThat(step(s, "deploy-rest").startedAt().orElseThrow()).isAfterOrEqualTo(step(s, "verify-canary").finishedAt().orElseThrow());
        RunbookLab.awaitServed(canary.endpoint(), serial);
        RunbookLab.awaitServed(web2.endpoint(), serial);

        Path out = ReportFormats.writeAll(RunReports.fromHistory(session.history(), run.id()), dir.resolve("report"));
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.path("success").asBoolean()).isTrue();
        assertThat(report.path("timeToRecoverSeconds").isNumber()).as(report.toString()).isTrue();
        assertThat(report.path("timeToRecoverSeconds").asDouble()).isPositive();
        assertThat(report.path("decisions").findValuesAsText("kind")).contains("failover");
        assertThat(report.path("decisions").toString()).contains("from main-ca to backup-ca");
        assertThat(report.path("issued")).singleElement().satisfies(i -> {
            assertThat(i.path("ca").asText()).isEqualTo("backup-ca");
            assertThat(i.path("serial").asText()).isEqualTo(serial);
        });
        assertThat(Files.readString(out.resolve("report.json"))).doesNotContain("PRIVATE KEY");
    }

    private static StepState step(RunState s, String id) {
        return s.steps().stream().filter(x -> x.stepId().equals(id)).findFirst().orElseThrow();
    }
}

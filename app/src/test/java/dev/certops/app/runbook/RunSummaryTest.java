package dev.certops.app.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.report.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The end screen's words for runs that did not recover anything, and for runs that touched several certificates. */
class RunSummaryTest {
    private static final Instant T0 = Instant.parse("2026-12-06T03:00:00Z");

    private static RunReport report(String status, Map<String, String> params, List<RunReport.Step> steps, Optional<Duration> ttr,
                                    List<RunReport.Issued> issued, List<RunReport.Deployment> deployments) {
        return new RunReport("run-1", "primary-ca-outage", "The primary CA is down", false, params, List.of("oncall@laptop"), T0,
                Optional.of(T0.plusSeconds(90)), status, steps, ttr, issued, deployments, List.of());
    }

    @Test
    void anAbortedRunThatIssuedNothingSaysSoAndClaimsNoRecovery() {
        RunSummary s = RunSummary.of(report("ABORTED", Map.of("certificate", "api"), List.of(), Optional.empty(), List.of(), List.of()), T0);
        assertThat(s.succeeded()).isFalse();
        assertThat(s.headline()).isEqualTo("The run for api was aborted: what it did is listed below and in the report.");
        assertThat(s.facts()).containsEntry("New serial", "none: this run issued no certificate")
                .containsEntry("Hosts verified", "none: this run deployed nowhere")
                .containsEntry("Time to recover", "not recovered: no deployment of this run was verified");
        assertThat(s.certificate()).contains("api");
    }

    @Test
    void aStoppedRunNamesTheStepThatFailedAndWhy() {
        RunReport.Step failed = new RunReport.Step("deploy-canary", "Deploy to the canary wave only", "deploy", "FAILED",
                "web2: rolled back after verify failed", "", Optional.of(T0), Optional.of(T0.plusSeconds(30)), "oncall@laptop");
        RunSummary s = RunSummary.of(report("STOPPED", Map.of("certificate", "api"), List.of(failed), Optional.empty(),
                List.of(new RunReport.Issued("issue", "api", "secondary", "1b54ebec", "2027-03-06T03:00:00Z")),
                List.of(new RunReport.Deployment("deploy-canary", "api@web2", T0, false))), T0);
        assertThat(s.headline()).isEqualTo("The run for api did not succeed: Deploy to the canary wave only failed — web2: rolled back after verify failed.");
        assertThat(s.facts()).containsEntry("New serial", "1b54ebec").containsEntry("CA", "secondary").containsEntry("Hosts verified", "none of 1 host deployed");
        assertThat(s.facts().get("Expires")).endsWith("(in 90 days)");
    }

    @Test
    void aRunOverSeveralCertificatesNamesEachOnesSerialAndHost() {
        RunSummary s = RunSummary.of(report("SUCCEEDED", Map.of("ca", "primary"), List.of(), Optional.of(Duration.ofSeconds(42)),
                List.of(new RunReport.Issued("renew[api]", "api", "secondary", "aa01", "2027-03-06T03:00:00Z"),
                        new RunReport.Issued("renew[shop]", "shop", "secondary", "bb02", "2027-03-06T03:00:00Z")),
                List.of(new RunReport.Deployment("deploy[api]", "api@web2", T0, true), new RunReport.Deployment("deploy[shop]", "shop@web3", T0, true))), T0);
        assertThat(s.headline()).isEqualTo("Recovered for api, shop: issued by secondary, served and verified on 2 hosts.");
        assertThat(s.facts()).containsEntry("New serial", "api: aa01 · shop: bb02").containsEntry("CA", "secondary")
                .containsEntry("Hosts verified", "2 hosts: api on web2, shop on web3").containsEntry("Time to recover", "42 s");
        assertThat(s.certificate()).as("several certificates: no single row to show").isEmpty();
    }
}

package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookCommandTest {
    @TempDir Path dir;
    String ws;

    @BeforeEach
    void workspaceWithATeamRunbook() throws Exception {
        ws = dir.resolve("ws").toString();
        assertThat(CliRun.run("init", "--workspace", ws).exitCode()).isZero();
        String dirUrl = "https://127.0.0.1:1/dir";
        Files.writeString(Path.of(ws, "certops.yaml"), """
                cas:
                  - { id: primary-ca, directory: %s, staging: %s, agreeToTerms: true, limits: none }
                """.formatted(dirUrl, dirUrl));
        Files.writeString(Path.of(ws, "runbooks", "check-in.yaml"), """
                name: check-in
                title: Check in with the CA
                steps:
                  - id: probe
                    title: Let the DNS change settle
                    action: wait
                    with: { for: 0s }
                  - id: confirm
                    title: Tell the team in the incident channel
                    guide: "Post the run id in #incident."
                  - id: log
                    title: Write the outcome down
                    action: note
                    with: { text: "CA answered" }
                """);
    }

    @Test
    void listShowsTheBuiltInsAndTheTeamsRunbooks() {
        CliRun r = CliRun.run("runbook", "list", "--workspace", ws);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("primary-ca-outage", "mass-revocation", "key-compromise", "renewal-failing", "quarterly-drill", "check-in");
    }

    @Test
    void showPrintsParametersStepsAndGuidance() {
        CliRun r = CliRun.run("runbook", "show", "primary-ca-outage", "--workspace", ws);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("certificate (certificate, required)").contains("Deploy to the canary wave only  (deploy, asks for approval)")
                .contains("failing over costs budget");
    }

    @Test
    void showPrintsAGroupOnceWithItsStepsNumberedUnderIt() {
        CliRun r = CliRun.run("runbook", "show", "quarterly-drill", "--workspace", ws);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("4. Issue, deploy and verify through each CA  [for each in drill-paths, item by item: these steps in order]")
                .contains("   4.1. Probe the CA's staging directory  (probe-ca)")
                .contains("   4.4. Verify the new certificate is served  (verify-served)")
                .contains("5. Roll back to the previous release  (rollback, for each in drill-targets)");
    }

    @Test
    void runAsksAtTheGateShowsThePreviewAndExitsZeroWhenEveryStepSucceeded() {
        CliRun r = CliRun.run(Map.of(), "y\n", "runbook", "run", "check-in", "--workspace", ws);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("▶ [1/3] Let the DNS change settle").contains("✔ [1/3] Let the DNS change settle — waited 0 s")
                .contains("⏸ Tell the team in the incident channel").contains("Post the run id in #incident.")
                .contains("Approve?").contains("✔ [3/3] Write the outcome down").contains("succeeded.");
    }

    @Test
    void aSkipWithAReasonIsRecordedAndTheExitCodeSaysNotEveryStepSucceeded() throws Exception {
        Path reports = dir.resolve("reports");
        CliRun r = CliRun.run(Map.of(), "s\nthe channel is down, phoned instead\n", "runbook", "run", "check-in", "--report", reports.toString(), "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("A skip needs a reason").contains("Not every step succeeded");
        assertThat(Files.readString(reports.resolve("report.json"))).contains("\"kind\" : \"skip\"").contains("the channel is down, phoned instead");
    }

    @Test
    void aRunLeftAtAGateIsListedAsUnfinishedAndResumes() {
        CliRun first = CliRun.run(Map.of(), "", "runbook", "run", "check-in", "--workspace", ws);
        assertThat(first.exitCode()).isEqualTo(ExitCodes.FAILED);
        Matcher m = Pattern.compile("certops runbook resume (\\S+)`").matcher(first.out());
        assertThat(m.find()).as(first.out()).isTrue();
        String id = m.group(1);
        assertThat(CliRun.run("runbook", "runs", "--unfinished", "--workspace", ws).out()).contains(id).contains("check-in");
        CliRun resumed = CliRun.run(Map.of(), "yes\n", "runbook", "resume", id, "--workspace", ws);
        assertThat(resumed.exitCode()).as(resumed.out()).isZero();
        assertThat(resumed.out()).doesNotContain("▶ Let the DNS change settle").contains("✔ [3/3] Write the outcome down");
        assertThat(CliRun.run("runbook", "runs", "--unfinished", "--workspace", ws).out()).contains("No unfinished runs");
    }

    @Test
    void anUnknownParameterIsAUsageErrorNamingTheOnesItTakes() {
        CliRun r = CliRun.run("runbook", "run", "primary-ca-outage", "--param", "cert=api", "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no parameter 'cert'").contains("certificate, ca");
    }

    @Test
    void aDrillWithoutDrillHostsFailsAndStillWritesTheFourReports() throws Exception {
        Path reports = dir.resolve("reports");
        CliRun r = CliRun.run("drill", "--report", reports.toString(), "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("[DRILL").contains("no certificate matches among those deployed only to hosts tagged drill: true");
        assertThat(reports.resolve("report.html")).isRegularFile();
        assertThat(reports.resolve("junit.xml")).isRegularFile();
        assertThat(reports.resolve("report.json")).isRegularFile();
        assertThat(Files.readString(reports.resolve("certops_drill.prom"))).contains("certops_drill_success{runbook=\"quarterly-drill\",drill=\"true\"} 0");
        assertThat(CliRun.run("runbook", "runs", "--unfinished", "--workspace", ws).out()).contains("No unfinished runs");
    }

    @Test
    void theQuarterlyDrillRefusesToRunOutsideADrill() {
        CliRun r = CliRun.run("runbook", "run", "quarterly-drill", "--yes", "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("runs only as a drill").contains("certops drill");
        assertThat(CliRun.run("runbook", "runs", "--workspace", ws).out()).contains("No runs yet");
    }
}

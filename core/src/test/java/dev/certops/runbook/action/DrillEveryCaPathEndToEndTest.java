package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quarterly drill proves every CA path, not just the first two: against three real Pebbles, a
 * certificate with three CAs is issued, deployed and verified through each in turn, and a certificate
 * with one CA is exercised through that one (its rollback returns to what was live before the drill).
 */
class DrillEveryCaPathEndToEndTest {
    @TempDir Path dir;
    RunbookLab lab;
    RunbookLab.Site web;
    RunbookLab.Site api;

    @AfterEach
    void stop() { if (lab != null) lab.close(); }

    private Workspace workspace(boolean thirdHasStaging) throws Exception {
        lab = new RunbookLab(dir.resolve("lab"));
        web = lab.site("drill-1", 1, "drill.example.test", true);
        api = lab.site("drill-2", 1, "api.drill.example.test", true);
        lab.startThirdCa(thirdHasStaging);
        lab.startNginx();
        try (var session = lab.workspace("none", """
                  - id: drill-web
                    names: [drill.example.test]
                    cas: [main-ca, backup-ca, third-ca]
                    challenge: { type: dns-01, dns: lab }
                    deploy: { waves: [[drill-1]] }
                    endpoints: [%s]
                  - id: drill-api
                    names: [api.drill.example.test]
                    cas: [main-ca]
                    challenge: { type: dns-01, dns: lab }
                    deploy: { waves: [[drill-2]] }
                    endpoints: [%s]
                """.formatted(web.endpointYaml(), api.endpointYaml()))) {
            return session.workspace();
        }
    }

    private static JsonNode report(Path reports) throws Exception {
        return new ObjectMapper().readTree(reports.resolve("report.json").toFile());
    }

    private static List<String> issuedCas(JsonNode report, String certificate) {
        List<String> out = new ArrayList<>();
        report.path("issued").forEach(i -> { if (i.path("certificate").asText().equals(certificate)) out.add(i.path("ca").asText()); });
        return out;
    }

    private static String issuedSerial(JsonNode report, String certificate, String ca) {
        for (JsonNode i : report.path("issued")) {
            if (i.path("certificate").asText().equals(certificate) && i.path("ca").asText().equals(ca)) return i.path("serial").asText();
        }
        throw new AssertionError("no certificate issued for " + certificate + " from " + ca + " in " + report.path("issued"));
    }

    @Test
    void aDrillExercisesEachCaOfEachCertificateInOrderIncludingAThirdCaAndASingleCaCertificate() throws Exception {
        Workspace ws = workspace(true);
        Path reports = dir.resolve("reports");

        CliRun r = CliRun.run("drill", "--report", reports.toString(), "--workspace", ws.root().toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        JsonNode report = report(reports);
        assertThat(report.path("steps").findValuesAsText("status")).containsOnly("SUCCEEDED");
        List<String> keys = report.path("steps").findValuesAsText("key");
        List<String> perPath = new ArrayList<>();
        for (String path : List.of("drill-api@main-ca", "drill-web@main-ca", "drill-web@backup-ca", "drill-web@third-ca")) {
            for (String step : List.of("probe", "issue", "deploy", "verify")) perPath.add(step + "[" + path + "]");
        }
        assertThat(keys).containsSubsequence(perPath).contains("verify-rollback[drill-web]", "verify-rollback[drill-api]");
        assertThat(issuedCas(report, "drill-web")).containsExactly("main-ca", "backup-ca", "third-ca");
        assertThat(issuedCas(report, "drill-api")).containsExactly("main-ca");

        // drill-web rolled back from the third CA's certificate to the secondary's, and the third's is revoked
        RunbookLab.awaitServed(web.endpoint(), issuedSerial(report, "drill-web", "backup-ca"));
        assertThat(lab.third.certStatusBySerial(issuedSerial(report, "drill-web", "third-ca"))).contains("Revoked");
        // drill-api has one CA: its rollback returns to what was live before the drill, and the drill's certificate is revoked
        RunbookLab.awaitServed(api.endpoint(), lab.seedSerial());
        assertThat(lab.primary.certStatusBySerial(issuedSerial(report, "drill-api", "main-ca"))).contains("Revoked");
    }

    @Test
    void aCaWithoutAStagingDirectoryFailsTheDrillBeforeAnythingIsIssuedAndSaysWhatToAdd() throws Exception {
        Workspace ws = workspace(false);
        Path reports = dir.resolve("reports");

        CliRun r = CliRun.run("drill", "--report", reports.toString(), "--workspace", ws.root().toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
        JsonNode report = report(reports);
        List<JsonNode> failed = new ArrayList<>();
        report.path("steps").forEach(s -> { if (s.path("status").asText().equals("FAILED")) failed.add(s); });
        assertThat(failed).singleElement().satisfies(s -> {
            assertThat(s.path("key").asText()).isEqualTo("paths");
            assertThat(s.path("summary").asText()).contains("third-ca").contains("no staging directory");
        });
        assertThat(report.path("issued")).isEmpty();
        assertThat(r.out() + r.err()).contains("staging: URL");
    }
}

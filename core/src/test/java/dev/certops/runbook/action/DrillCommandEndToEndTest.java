package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code certops drill --report DIR} against real components: both Pebbles serve as the CAs'
 * staging directories, one certificate is deployed only to a drill host (nginx on 127.0.0.1), another
 * to a production host (nginx on 127.0.0.2) the drill must never touch.
 */
class DrillCommandEndToEndTest {
    @TempDir Path dir;
    RunbookLab lab;
    RunbookLab.Site drillHost;
    RunbookLab.Site prodHost;
    Workspace ws;
    Path reports;

    @BeforeEach
    void aDrillHostAndAProductionHost() throws Exception {
        lab = new RunbookLab(dir.resolve("lab"));
        drillHost = lab.site("drill-1", 1, "drill.example.test", true);
        prodHost = lab.site("prod-1", 2, "shop.example.test", false);
        lab.startNginx();
        try (var session = lab.workspace("none", """
                  - id: drill-web
                    names: [drill.example.test]
                    challenge: { type: dns-01, dns: lab }
                    deploy: { waves: [[drill-1]] }
                    endpoints: [%s]
                  - id: shop
                    names: [shop.example.test]
                    challenge: { type: dns-01, dns: lab }
                    deploy: { waves: [[prod-1]] }
                    endpoints: [%s]
                """.formatted(drillHost.endpointYaml(), prodHost.endpointYaml()))) {
            ws = session.workspace();
        }
        reports = dir.resolve("reports");
    }

    @AfterEach
    void stop() { lab.close(); }

    private CliRun drill() {
        return CliRun.run("drill", "--report", reports.toString(), "--workspace", ws.root().toString());
    }

    private JsonNode json() throws Exception { return new ObjectMapper().readTree(reports.resolve("report.json").toFile()); }

    private static List<Element> testcases(Document junit) {
        NodeList l = junit.getElementsByTagName("testcase");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) out.add((Element) l.item(i));
        return out;
    }

    private Document junit() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
    }

    @Test
    void aDrillIssuesFromEachStagingCaOnTheDrillHostOnlyAndWritesAllFourReports() throws Exception {
        CliRun r = drill();
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();

        JsonNode report = json();
        assertThat(report.path("drill").asBoolean()).isTrue();
        assertThat(report.path("success").asBoolean()).isTrue();
        List<String> keys = report.path("steps").findValuesAsText("key");
        assertThat(keys).containsExactly("select", "paths", "dns",
                        "probe[drill-web@main-ca]", "issue[drill-web@main-ca]", "deploy[drill-web@main-ca]", "verify[drill-web@main-ca]",
                        "probe[drill-web@backup-ca]", "issue[drill-web@backup-ca]", "deploy[drill-web@backup-ca]", "verify[drill-web@backup-ca]",
                        "rollback[drill-web]", "verify-rollback[drill-web]", "revoke[drill-web]")
                .noneMatch(k -> k.contains("shop"));
        assertThat(report.path("steps").findValuesAsText("status")).containsOnly("SUCCEEDED");
        assertThat(report.path("issued").findValuesAsText("ca")).containsExactly("main-ca", "backup-ca"); // primary, then secondary
        String secondarySerial = report.path("issued").get(1).path("serial").asText();
        assertThat(lab.secondary.certStatusBySerial(secondarySerial)).contains("Revoked");
        RunbookLab.awaitServed(drillHost.endpoint(), report.path("issued").get(0).path("serial").asText()); // rolled back to the primary's

        Document junit = junit();
        assertThat(testcases(junit)).hasSize(keys.size());
        assertThat(testcases(junit)).extracting(e -> e.getAttribute("name").split(" ")[0]).containsExactlyElementsOf(keys);
        assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("0");

        String prom = Files.readString(reports.resolve("certops_drill.prom"));
        assertThat(prom).contains("certops_drill_success{runbook=\"quarterly-drill\",drill=\"true\"} 1")
                .containsPattern("certops_drill_duration_seconds\\{[^}]*\\} \\d+\\.\\d{3}")
                .containsPattern("certops_drill_timestamp_seconds\\{[^}]*\\} \\d{10}");

        String html = Files.readString(reports.resolve("report.html"));
        assertThat(html).contains("quarterly-drill").contains(secondarySerial);
        assertThat(Pattern.compile("(?i)\\b(src|href)\\s*=\\s*[\"']?(?!#|data:)").matcher(html).find())
                .as("self-contained: no external src/href").isFalse();
        assertThat(html).doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("@import");

        assertThat(RunbookLab.served(prodHost.endpoint())).as("the production host is untouched").isEqualTo(lab.seedSerial());
        assertThat(ws.certsDir().resolve("shop")).doesNotExist();
    }

    @Test
    void aDrillWhoseSecondaryStagingCaIsDownExitsNonZeroAndTheReportNamesTheStep() throws Exception {
        lab.secondary.stop();
        CliRun r = drill();
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);

        JsonNode report = json();
        assertThat(report.path("success").asBoolean()).isFalse();
        List<JsonNode> failed = new ArrayList<>();
        report.path("steps").forEach(s -> { if (s.path("status").asText().equals("FAILED")) failed.add(s); });
        assertThat(failed).singleElement().satisfies(s -> {
            assertThat(s.path("key").asText()).isEqualTo("probe[drill-web@backup-ca]");
            assertThat(s.path("summary").asText()).contains("CA 'backup-ca'").contains("unreachable");
        });
        List<Element> failures = testcases(junit()).stream().filter(e -> e.getElementsByTagName("failure").getLength() > 0).toList();
        assertThat(failures).singleElement().satisfies(e -> assertThat(e.getAttribute("name")).startsWith("probe[drill-web@backup-ca]"));
        assertThat(Files.readString(reports.resolve("certops_drill.prom"))).contains("certops_drill_success{runbook=\"quarterly-drill\",drill=\"true\"} 0");
        assertThat(Files.readString(reports.resolve("report.html"))).contains("probe[drill-web@backup-ca]");
    }
}

package dev.certops.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.ActionRegistry;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Reports built from a real run recorded in a real SQLite history. */
class ReportFormatsTest {
    static final String HOSTILE = "<script>alert(\"pwned\")</script> & 'quotes'";
    @TempDir Path dir;
    SqliteHistoryStore history;
    RunReport report;

    private static RunbookAction action(String type, Function<StepContext, StepOutcome> f) {
        return new RunbookAction() {
            @Override public String type() { return type; }
            @Override public ActionPreview preview(StepContext ctx) { return ActionPreview.readOnly(type); }
            @Override public StepOutcome execute(StepContext ctx) { return f.apply(ctx); }
        };
    }

    @BeforeEach
    void runARunbook() throws Exception {
        history = SqliteHistoryStore.open(dir.resolve("history.db"), "oncall@laptop");
        ActionRegistry actions = new ActionRegistry()
                .register(action("issue", c -> new StepOutcome.Succeeded("issued", Map.of("certificate", "api", "ca", "backup-ca",
                        "serial", "4f2a", "notAfter", "2027-02-21T00:00:00Z"))))
                .register(action("deploy", c -> new StepOutcome.Succeeded("deployed", Map.of("deployed", List.of("web-1", "web-2")))))
                .register(action("verify-served", c -> new StepOutcome.Succeeded("all endpoints verified", Map.of("verified", true))))
                .register(action("probe-ca", c -> StepOutcome.Failed.of("CA unreachable " + HOSTILE, "check the status page")));
        String yaml = """
                name: outage
                title: "Primary CA outage <b>drill</b>"
                steps:
                  - { id: probe, title: Probe, action: probe-ca }
                  - { id: issue, title: Issue, action: issue }
                  - { id: deploy, title: Deploy, action: deploy }
                  - { id: verify, title: Verify, action: verify-served }
                """;
        RunbookEngine engine = new RunbookEngine(actions, history, Clock.systemUTC());
        Run run = engine.start(new RunbookLoader(actions.types()).parse(Path.of("outage.yaml"), "outage.yaml", yaml), Map.of(), true, RunListener.NONE);
        run.advance();
        run.skip(HOSTILE);
        report = RunReports.fromHistory(history, run.id());
    }

    @AfterEach
    void close() throws Exception { history.close(); }

    @Test
    void theReportHasEveryStepTheIssuedCertificateTheVerifiedDeploymentsAndTheSkip() {
        assertThat(report.status()).isEqualTo("SUCCEEDED");
        assertThat(report.success()).isFalse();
        assertThat(report.steps()).extracting(RunReport.Step::status).containsExactly("SKIPPED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED");
        assertThat(report.issued()).singleElement().satisfies(i -> {
            assertThat(i.ca()).isEqualTo("backup-ca");
            assertThat(i.serial()).isEqualTo("4f2a");
            assertThat(i.notAfter()).isEqualTo("2027-02-21T00:00:00Z");
        });
        assertThat(report.deployments()).extracting(RunReport.Deployment::target).containsExactly("web-1", "web-2");
        assertThat(report.deployments()).allMatch(RunReport.Deployment::verified);
        assertThat(report.timeToRecover()).isPresent();
        assertThat(report.decisions()).extracting(RunReport.Decision::kind).containsExactly("skip");
        assertThat(report.actors()).containsExactly("oncall@laptop");
    }

    @Test
    void jsonCarriesTheOutcomeAndTimeToRecover() throws Exception {
        JsonNode j = new ObjectMapper().readTree(ReportFormats.json(report));
        assertThat(j.path("runbook").asText()).isEqualTo("outage");
        assertThat(j.path("success").asBoolean()).isFalse();
        assertThat(j.path("steps")).hasSize(4);
        assertThat(j.path("timeToRecoverSeconds").isNumber()).isTrue();
        assertThat(j.path("decisions").get(0).path("text").asText()).isEqualTo(HOSTILE);
    }

    @Test
    void junitXmlHasOneTestCasePerStepAndParsesWithTheJdk() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(ReportFormats.junit(report).getBytes(StandardCharsets.UTF_8)));
        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(4);
        Element skipped = (Element) doc.getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo(HOSTILE);
    }

    @Test
    void aFailedStepBecomesAJunitFailure() throws Exception {
        RunReport failed = new RunReport(report.runId(), report.runbook(), report.title(), false, Map.of(), report.actors(), report.startedAt(),
                report.finishedAt(), "STOPPED", List.of(new RunReport.Step("probe", "Probe", "probe-ca", "FAILED", "CA unreachable", "check the status page",
                java.util.Optional.of(report.startedAt()), report.finishedAt(), "oncall@laptop")), java.util.Optional.empty(), List.of(), List.of(), List.of());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(ReportFormats.junit(failed).getBytes(StandardCharsets.UTF_8)));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("CA unreachable");
        assertThat(failure.getTextContent()).contains("next step: check the status page");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void prometheusTextfileHasTheThreeDrillMetricsAndIsWrittenAtomically() throws Exception {
        Path file = dir.resolve("certops_drill.prom");
        Files.writeString(file, "stale");
        ReportFormats.writePrometheus(report, file);
        String text = Files.readString(file);
        assertThat(text).contains("certops_drill_success{runbook=\"outage\",drill=\"true\"} 0")
                .contains("certops_drill_duration_seconds{").contains("certops_drill_timestamp_seconds{")
                .contains("# TYPE certops_drill_success gauge");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void htmlIsSelfContainedAndEscapesHostileText() {
        String html = HtmlReport.render(report);
        assertThat(html).doesNotContain("<script>").doesNotContain("<b>drill</b>")
                .contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;")
                .contains("<style>").doesNotContain("<link").doesNotContain("src=")
                .contains("4f2a").contains("backup-ca").contains("Time to recover");
    }

    @Test
    void writeAllProducesTheFourFiles() throws Exception {
        Path out = ReportFormats.writeAll(report, dir.resolve("reports"));
        assertThat(out.resolve(ReportFormats.JSON_FILE)).isRegularFile();
        assertThat(out.resolve(ReportFormats.JUNIT_FILE)).isRegularFile();
        assertThat(out.resolve(ReportFormats.PROM_FILE)).isRegularFile();
        assertThat(out.resolve(ReportFormats.HTML_FILE)).isRegularFile();
    }

    @Test
    void aRunThatStoppedAtAFailedStepListsEveryStepAndTheOnesNotRunAsSkippedWithTheReason() throws Exception {
        ActionRegistry actions = new ActionRegistry()
                .register(action("probe-ca", c -> StepOutcome.Failed.of("CA 'primary' unreachable: connection refused", "run `certops sandbox up` again")))
                .register(action("issue", c -> new StepOutcome.Succeeded("issued", Map.of())));
        String yaml = """
                name: stops
                title: Stops early
                steps:
                  - { id: probe, title: Probe, action: probe-ca }
                  - { id: issue, title: Issue from the secondary, action: issue }
                  - { id: note, title: Write it down }
                """;
        RunbookEngine engine = new RunbookEngine(actions, history, Clock.systemUTC());
        var def = new RunbookLoader(actions.types()).parse(Path.of("stops.yaml"), "stops.yaml", yaml);
        Run run = engine.start(def, Map.of(), false, RunListener.NONE);
        run.advance();
        run.stop();
        var planned = def.steps().stream().map(s -> new RunReport.Planned(s.id(), s.title(), s.action().orElse("manual"))).toList();

        RunReport r = RunReports.fromHistory(history, run.id(), planned);

        assertThat(r.steps()).extracting(RunReport.Step::key).containsExactly("probe", "issue", "note");
        assertThat(r.steps()).extracting(RunReport.Step::status).containsExactly("FAILED", "NOT_RUN", "NOT_RUN");
        assertThat(r.steps().get(1).reason()).isEqualTo("not run: the run stopped after 'Probe' failed");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(ReportFormats.junit(r).getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("3");
        assertThat(doc.getDocumentElement().getAttribute("skipped")).isEqualTo("2");
        assertThat(((Element) doc.getElementsByTagName("skipped").item(0)).getAttribute("message")).isEqualTo("not run: the run stopped after 'Probe' failed");
        assertThat(new ObjectMapper().readTree(ReportFormats.json(r)).path("steps")).hasSize(3);
        String html = HtmlReport.render(r);
        assertThat(html).contains("Issue from the secondary", "not run: the run stopped after", "<code>certops sandbox up</code>")
                .doesNotContain("`").doesNotContainPattern("\\d{2}:\\d{2}:\\d{2}\\.\\d+");
    }
}

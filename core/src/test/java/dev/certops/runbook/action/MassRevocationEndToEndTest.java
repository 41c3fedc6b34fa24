package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.NewEvent;
import dev.certops.report.RunReport;
import dev.certops.report.RunReports;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunState;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in mass-revocation to the end against real components: ten certificates of one
 * registered domain, each live on its own host (one nginx, ten sites), the CA's Let's Encrypt limits
 * with 34 of the 50 weekly certificates already used, so the 80% safety line leaves 6. The six are
 * issued by Pebble, deployed and verified; the other four are left scheduled with their times.
 */
class MassRevocationEndToEndTest {
    @TempDir Path dir;
    RunbookLab lab;
    final List<RunbookLab.Site> sites = new ArrayList<>();
    CompositionRoot session;

    @BeforeEach
    void tenCertificatesLiveAndThirtyFourIssuancesThisWeek() throws Exception {
        lab = new RunbookLab(dir);
        StringBuilder certs = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            RunbookLab.Site s = lab.site("h" + i, 1, "s" + i + ".example.com", false);
            sites.add(s);
            certs.append("""
                      - id: c%d
                        names: [s%d.example.com]
                        challenge: { type: dns-01, dns: lab }
                        deploy: { waves: [[h%d]] }
                        endpoints: [%s]
                    """.formatted(i, i, i, s.endpointYaml()));
        }
        lab.startNginx();
        session = lab.workspace("letsencrypt", certs.toString());
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 34; i++) {
            events.add(new NewEvent(EventKinds.ACME_CERT_ISSUED, "old" + i, "ok", Map.of("ca", "main-ca", "staging", false,
                    "account", "https://127.0.0.1/acct/1", "names", List.of("old" + i + ".example.com"),
                    "serial", String.format("%x", 1000 + i), "notAfter", Instant.now().plusSeconds(86400 * 90).toString())));
        }
        session.history().appendAll(events);
    }

    @AfterEach
    void stop() {
        if (session != null) session.close();
        if (lab != null) lab.close();
    }

    @Test
    void renewsDeploysAndVerifiesTheSixTheBudgetAllowsAndSchedulesTheOtherFour() throws Exception {
        // the sites serve a seed certificate no CA of this workspace issued: selected by configuration (ca: means issued by)
        Run run = RunbookLab.start(session, "mass-revocation", Map.of("configured-ca", "main-ca"), false);
        RunState s = run.advance();
        assertThat(step(s, "plan").summary()).isEqualTo("6 now, 4 scheduled later (safety line 80%)");
        int approvals = 0;
        while (s.status() == RunState.Status.WAITING_APPROVAL) {
            assertThat(s.current().orElseThrow().stepId()).isEqualTo("renew");
            s = run.approve();
            approvals++;
        }
        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(approvals).as("one approval per renewal").isEqualTo(6);

        List<String> now = strings(step(s, "plan").outputs().get("set.batch-now"));
        List<String> later = strings(step(s, "plan").outputs().get("set.batch-later"));
        assertThat(now).hasSize(6);
        assertThat(later).hasSize(4).doesNotContainAnyElementsOf(now);
        for (String id : now) {
            int i = Integer.parseInt(id.substring(1));
            String serial = (String) s.steps().stream().filter(x -> x.key().equals("renew[" + id + "]")).findFirst().orElseThrow().outputs().get("serial");
            RunbookLab.awaitServed(sites.get(i).endpoint(), serial);
            assertThat(lab.primary.certStatusBySerial(serial)).contains("Valid");
        }
        for (String id : later) {
            assertThat(RunbookLab.served(sites.get(Integer.parseInt(id.substring(1))).endpoint())).as(id + " waits").isEqualTo(lab.seedSerial());
        }
        List<HistoryEvent> issued = session.history().query(EventQuery.all().kind(EventKinds.ACME_CERT_ISSUED));
        assertThat(issued).as("34 before + 6 = 40 of 50: exactly at the 80% safety line, never past it").hasSize(40);

        String note = step(s, "report-scheduled").summary();
        for (String id : later) assertThat(note).containsPattern(id + " not before \\d{4}-\\d\\d-\\d\\dT");
        assertThat(s.steps()).filteredOn(x -> x.stepId().equals("verify")).hasSize(6)
                .allMatch(x -> x.status() == StepState.Status.SUCCEEDED);

        RunReport report = RunReports.fromHistory(session.history(), run.id());
        assertThat(report.success()).isTrue();
        assertThat(report.issued()).hasSize(6).allMatch(i -> i.ca().equals("main-ca"));
        assertThat(report.deployments()).hasSize(6).allMatch(RunReport.Deployment::verified);
        assertThat(report.steps()).filteredOn(x -> x.key().equals("report-scheduled")).singleElement()
                .satisfies(x -> assertThat(x.summary()).contains(later.get(0) + " not before "));
    }

    private static List<String> strings(Object o) {
        return ((List<?>) o).stream().map(String::valueOf).toList();
    }

    private static StepState step(RunState s, String id) {
        return s.steps().stream().filter(x -> x.stepId().equals(id)).findFirst().orElseThrow();
    }
}

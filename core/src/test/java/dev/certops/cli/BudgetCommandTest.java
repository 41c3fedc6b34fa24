package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.history.SqliteHistoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetCommandTest {
    @TempDir Path dir;
    private String ws;

    @BeforeEach
    void workspaceWithFortyFiveIssuancesThisWeek() throws Exception {
        ws = dir.resolve("ws").toString();
        CliRun.run("init", "--workspace", ws);
        StringBuilder yaml = new StringBuilder("""
                cas:
                  - id: le
                    directory: https://acme.example.test/dir
                    agreeToTerms: true
                    limits: letsencrypt
                certificates:
                """);
        for (int i = 0; i < 10; i++) yaml.append("  - { id: c").append(i).append(", names: [s").append(i).append(".example.com] }\n");
        Files.writeString(Path.of(ws, "certops.yaml"), yaml.toString());
        try (var h = SqliteHistoryStore.open(Path.of(ws, "history.db"), "test")) {
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < 45; i++) {
                events.add(new NewEvent(EventKinds.ACME_CERT_ISSUED, "old" + i, "ok", Map.of("ca", "le", "staging", false,
                        "account", "https://acme.example.test/acct/1", "names", List.of("old" + i + ".example.com"),
                        "serial", String.format("%x", 1000 + i), "notAfter", Instant.now().plusSeconds(86400 * 90).toString())));
            }
            h.appendAll(events);
        }
    }

    @Test
    void budgetShowsTheRegisteredDomainNearlySpent() {
        CliRun r = CliRun.run("budget", "--workspace", ws);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("example.com").contains("5 of 50");
    }

    @Test
    void aWorkspaceWithNoHistoryShowsEveryBucketThatAppliesAtFullCapacity() throws Exception {
        String fresh = dir.resolve("fresh").toString();
        CliRun.run("init", "--workspace", fresh);
        Files.writeString(Path.of(fresh, "certops.yaml"), """
                cas:
                  - { id: le, directory: "https://acme.example.test/dir", agreeToTerms: true, limits: letsencrypt }
                certificates:
                  - { id: shop, names: [example.co.uk, www.example.co.uk] }
                """);

        CliRun r = CliRun.run("budget", "--workspace", fresh);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("every bucket is full")
                .containsPattern("new certificates per registered domain per 7 days\\s+example\\.co\\.uk\\s+50 of 50\\s+-\\s+full now")
                .containsPattern("new certificates per exact set of identifiers per 7 days\\s+example\\.co\\.uk,www\\.example\\.co\\.uk\\s+5 of 5")
                .contains("this CA's account (none registered yet)");
    }

    @Test
    void planHoldsEverythingBackAtTheSafetyLineAndSaysWhen() {
        CliRun r = CliRun.run("budget", "plan", "--all", "--workspace", ws);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.WARNING);
        assertThat(r.out()).contains("0 now, 10 later");
    }

    @Test
    void overrideLetsFiveGoButNeverPastTheCasCapacity() {
        CliRun r = CliRun.run("budget", "plan", "--all", "--override", "--json", "--workspace", ws);
        assertThat(r.out()).contains("\"override\" : true");
        assertThat(r.out().split("\"now\" : true", -1).length - 1).isEqualTo(5);
    }

    @Test
    void anUnknownCertificateIsAUsageError() {
        CliRun r = CliRun.run("budget", "plan", "nope", "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no certificate 'nope'");
    }

    @Test
    void importedIssuancesFromAnotherToolCountAgainstTheBudget() throws Exception {
        Path csv = dir.resolve("certbot.csv");
        StringBuilder rows = new StringBuilder("names,ca,time\n");
        for (int i = 0; i < 3; i++) rows.append("other").append(i).append(".example.com,le,").append(Instant.now().minusSeconds(600)).append("\n");
        Files.writeString(csv, rows.toString());
        CliRun r = CliRun.run("budget", "import", csv.toString(), "--workspace", ws);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Imported 3 issuances");
        assertThat(CliRun.run("budget", "--workspace", ws).out()).contains("2 of 50");
    }

    @Test
    void aMalformedImportFileIsRefusedAndNothingIsImported() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "names,ca,time\na.example.com,le,yesterday\n");
        CliRun r = CliRun.run("budget", "import", csv.toString(), "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("nothing was imported");
        assertThat(CliRun.run("budget", "--workspace", ws).out()).contains("5 of 50");
    }
}

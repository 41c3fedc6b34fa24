package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.team.TeamPolicy;
import dev.certops.team.TeamWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-person gates that guard production, end to end with real Pebble CAs, a real nginx and
 * keys in a real ssh-agent: a deploy to a production host ({@code deploy-production}) and the
 * mass-revocation runbook ({@code mass-revocation}) are refused until bob (approver) approves what
 * alice (operator) asked, then go through, and the audit export names bob as approver of each change.
 */
class TwoPersonProductionGatesTest {
    @TempDir static Path dir;
    static RunbookLab lab;
    static TeamWorld team;
    static RunbookLab.Site prod;
    static RunbookLab.Site m0;
    static RunbookLab.Site m1;
    static Path ws;

    @BeforeAll
    static void labAndTeam() throws Exception {
        team = TeamWorld.start(dir.resolve("keys"));
        lab = new RunbookLab(dir.resolve("lab"));
        prod = lab.site("prod", 1, "web.example.test", false);
        m0 = lab.site("m0", 1, "m0.example.com", false);
        m1 = lab.site("m1", 1, "m1.example.com", false);
        lab.startNginx();
        lab.workspace("letsencrypt", """
                  - { id: web, names: [web.example.test], challenge: { type: dns-01, dns: lab }, deploy: { waves: [[prod]] }, endpoints: [%s] }
                  - { id: m0, names: [m0.example.com], cas: [backup-ca], challenge: { type: dns-01, dns: lab }, deploy: { waves: [[m0]] }, endpoints: [%s] }
                  - { id: m1, names: [m1.example.com], cas: [backup-ca], challenge: { type: dns-01, dns: lab }, deploy: { waves: [[m1]] }, endpoints: [%s] }
                """.formatted(prod.endpointYaml(), m0.endpointYaml(), m1.endpointYaml())).close();
        ws = dir.resolve("lab/ws");
        team.writeTeam(ws);
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
        if (team != null) team.close();
    }

    private static CliRun as(String who, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--workspace";
        all[args.length + 1] = ws.toString();
        return CliRun.run(team.as(who), "", all);
    }

    /** An admin's signed change of the two-person policy (team/policy.yaml, recorded by carol). */
    private static void policy(String yaml) throws Exception {
        Files.writeString(ws.resolve(TeamPolicy.FILE), yaml);
        CliRun r = as("carol", "team", "record");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    }

    private static String issue(String certificate) {
        CliRun issued = as("alice", "issue", certificate);
        assertThat(issued.exitCode()).as(issued.out() + issued.err()).isZero();
        return group(issued.out(), "serial ([0-9a-f]+),");
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in:\n" + text).isTrue();
        return m.group(1);
    }

    /** The audit export's rows (CSV, approved_by last) of this kind and subject. */
    private static List<String> exported(String kindPrefix, String subject) throws Exception {
        Path csv = dir.resolve("audit-" + subject + ".csv");
        CliRun export = as("bob", "audit", "export", "--format", "csv", "--out", csv.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        return Files.readAllLines(csv).stream().filter(l -> l.matches("^\\d+,[^,]*,\\d+,[^,]*," + Pattern.quote(kindPrefix) + "[^,]*," + subject + ",.*"))
                .toList();
    }

    private static List<String> releases(RunbookLab.Site site) throws Exception {
        try (var s = Files.list(site.certDir().resolve("releases"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aProductionDeployIsRefusedUntilASecondPersonApprovesThenGoesThroughWithTheApproverRecorded() throws Exception {
        policy("twoPerson: [deploy-production]\n");
        String serial = issue("web");

        CliRun asked = as("alice", "deploy", "web");

        assertThat(asked.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(asked.err()).contains("deploy-production is a two-person gate: asked for approval as request r-",
                "A second person with the approver role runs ./certops approve r-", "Nothing was done.");
        assertThat(releases(prod)).as("nothing was sent to the host").containsExactly(RunbookLab.SEED_RELEASE);
        assertThat(RunbookLab.served(prod.endpoint())).isEqualTo(lab.seedSerial());
        String request = group(asked.err(), "request (r-[0-9a-f]+) deploy");
        CliRun again = as("alice", "deploy", "web");
        assertThat(again.err()).as("asking again reminds, it does not ask twice")
                .contains("waits for a second person", "request " + request + " deploy is pending until");
        CliRun self = as("alice", "approve", request, "deploy", "--reason", "mine, trust me");
        assertThat(self.err()).contains("cannot approve their own request");

        CliRun approved = as("bob", "approve", request, "deploy", "--reason", "change CHG-1234 approved by the CAB");
        assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
        CliRun deployed = as("alice", "deploy", "web");

        assertThat(deployed.exitCode()).as(deployed.out() + deployed.err()).isZero();
        RunbookLab.awaitServed(prod.endpoint(), serial);
        List<String> deployRows = exported("deploy.", "web");
        assertThat(deployRows).isNotEmpty().allSatisfy(row -> assertThat(row).contains(",alice@example.com").endsWith(",bob@example.com"));
        assertThat(exported("approval.used", request)).singleElement().satisfies(row -> assertThat(row).endsWith(",bob@example.com"));
        CliRun audit = as("bob", "audit", "verify");
        assertThat(audit.exitCode()).as(audit.out()).isZero();

        CliRun reused = as("alice", "deploy", "web");
        assertThat(reused.err()).as("an approval is used once").contains("deploy-production is a two-person gate: asked for approval");
    }

    @Test
    void theMassRevocationRunbookWaitsForASecondPersonAtEachRenewalThenRenewsAndDeploysWithTheApproverRecorded() throws Exception {
        policy("twoPerson: [mass-revocation]\n");
        CliRun run = as("alice", "runbook", "run", "mass-revocation", "--param", "configured-ca=backup-ca", "--param", "renew-from=backup-ca", "--yes");
        String out = run.out() + run.err();
        assertThat(run.exitCode()).as(out).isNotZero();
        assertThat(out).contains("this step needs a second person (mass-revocation is a two-person gate)");
        String runId = group(out, "\\./certops approve (\\S+) renew\\[m0\\]");
        assertThat(issuedFor("m0")).as("nothing renewed before the approval").isEmpty();

        for (String certificate : List.of("m0", "m1")) {
            CliRun self = as("alice", "approve", runId, "renew[" + certificate + "]", "--reason", "mine");
            assertThat(self.err()).contains("cannot approve their own request");
            CliRun ok = as("bob", "approve", runId, "renew[" + certificate + "]", "--reason", "the CA's notice lists " + certificate);
            assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
            run = as("alice", "runbook", "resume", runId, "--yes");
            out = run.out() + run.err();
            assertThat(issuedFor(certificate)).as(out).hasSize(1);
        }

        assertThat(run.exitCode()).as(out).isZero();
        for (var site : List.of(m0, m1)) {
            String serial = group(issuedFor(site.hostId()).get(0).details(), "\"serial\":\"([0-9a-f]+)\"");
            RunbookLab.awaitServed(site.endpoint(), serial);
        }
        for (String certificate : List.of("m0", "m1")) {
            assertThat(exported("acme.certificate.issued", certificate)).singleElement()
                    .satisfies(row -> assertThat(row).contains(",alice@example.com").endsWith(",bob@example.com"));
        }
    }

    private static List<HistoryEvent> issuedFor(String certificate) throws Exception {
        try (HistoryStore h = HistoryStores.open(new HistoryDatabase.Sqlite(ws.resolve("history.db")), "reader", Clock.systemUTC())) {
            return h.query(EventQuery.all().kind("acme.certificate.issued").subject(certificate));
        }
    }
}

package dev.certops.team;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.history.JdbcHistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.identity.KeyFileSigner;
import dev.certops.identity.SshSignature;
import dev.certops.testing.SshAgentFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles per command, signed events, approvals and the signature audit, on a local workspace with a real ssh-agent. */
class WhoMayDoWhatTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    static TeamWorld team;

    @BeforeAll
    static void start() throws Exception { team = TeamWorld.start(shared); }

    @AfterAll
    static void stop() { team.close(); }

    private String ws() throws Exception {
        Path ws = dir.resolve("ws");
        if (!Files.exists(ws.resolve("certops.yaml"))) {
            assertThat(CliRun.run("init", "--workspace", ws.toString()).exitCode()).isZero();
            Files.writeString(ws.resolve("certops.yaml"), """
                    hosts:
                      - { id: site, address: local, certDir: "%s" }
                    certificates:
                      - { id: api, names: [api.example.test], deploy: { waves: [[site]] } }
                    """.formatted(ws.resolve("live")));
            team.writeTeam(ws);
        }
        return ws.toString();
    }

    private CliRun as(String who, String... args) throws Exception {
        return as(Clock.systemUTC(), who, args);
    }

    private CliRun as(Clock clock, String who, String... args) throws Exception {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--workspace";
        all[args.length + 1] = ws();
        return CliRun.run(clock, team.as(who), "", all);
    }

    private void recorded() throws Exception {
        CliRun r = as("carol", "team", "record");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void whoamiShowsTheAgentKeyThePrincipalAndTheRoles() throws Exception {
        recorded();
        CliRun r = as("alice", "whoami");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String fp = SshAgentFixture.run(List.of("/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", team.alice + ".pub"), Map.of()).split(" ")[1];
        assertThat(r.out()).contains("Key:   ssh-ed25519 " + fp, "ssh-agent", "As:    alice@example.com", "operator (", "revoker (",
                "Two-person gates: revoke, deploy-production, mass-revocation, lease-break");
        CliRun carol = as("carol", "whoami");
        assertThat(carol.out()).contains("As:    carol@example.com", "admin (", team.carol.toString());
    }

    @Test
    void anUnrecordedTeamFolderRefusesChangesUntilAnAdminRecordsIt() throws Exception {
        CliRun deploy = as("alice", "deploy", "api");
        assertThat(deploy.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(deploy.err()).contains("has not been recorded yet", "./certops team record");
        CliRun notAdmin = as("alice", "team", "record");
        assertThat(notAdmin.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(notAdmin.err()).contains("alice@example.com (roles operator,revoker) may not record team/allowed_signers", "admin role");
        CliRun admin = as("carol", "team", "record");
        assertThat(admin.exitCode()).as(admin.err()).isZero();
        assertThat(admin.out()).contains("signed by carol@example.com");

        Files.writeString(Path.of(ws(), TeamPolicy.FILE), "twoPerson: [revoke]\n");
        CliRun changed = as("alice", "deploy", "api");
        assertThat(changed.err()).contains("changed since carol@example.com recorded them");
    }

    @Test
    void eachCommandNeedsItsRole() throws Exception {
        recorded();
        CliRun deploy = as("bob", "deploy", "api");
        assertThat(deploy.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(deploy.err()).contains("bob@example.com (roles approver,viewer) may not deploy: that needs the operator role",
                "roles=\"approver,viewer,operator\"", "line 3");
        assertThat(as("bob", "issue", "api").err()).contains("may not issue: that needs the operator role");
        assertThat(as("bob", "rollback", "api", "--host", "site").err()).contains("may not rollback: that needs the operator role");
        assertThat(as("bob", "revoke", "api", "--reason", "superseded").err()).contains("may not revoke: that needs the revoker role");
        assertThat(as("bob", "renew", "--cert", "api").out() + as("bob", "renew", "--cert", "api").err()).contains("may not renew");
        CliRun leaseBreak = as("alice", "lease", "break", "api", "--reason", "laptop died");
        assertThat(leaseBreak.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(leaseBreak.err()).contains("may not break a lease: that needs the admin role");
        CliRun approve = as("alice", "approve", "r-000000", "revoke", "--reason", "ok");
        assertThat(approve.err()).contains("may not approve a two-person request: that needs the approver role");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheLineToAdd() throws Exception {
        recorded();
        CliRun r = as("mallory", "deploy", "api");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(r.err()).contains("is not in team/allowed_signers", "you@example.com roles=\"operator\" "
                + TeamWorld.pub(team.mallory).substring(0, 60));
    }

    @Test
    void withoutAnyKeyEveryChangeIsRefusedSayingHowToGetOne() throws Exception {
        recorded();
        CliRun r = CliRun.run(Map.of(), "", "deploy", "api", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(r.err()).contains("no signing key", "ssh-add", "CERTOPS_SIGNING_KEY");
    }

    @Test
    void withoutTheTeamFileEverythingWorksAsASingleOperator() throws Exception {
        Files.delete(Path.of(ws(), AllowedSigners.FILE));
        CliRun who = CliRun.run(Map.of("USER", "ops"), "", "whoami", "--workspace", ws());
        assertThat(who.out()).contains("You act as ops@", "one operator");
        CliRun lease = CliRun.run(Map.of("USER", "ops"), "", "lease", "break", "api", "--reason", "nothing held", "--workspace", ws());
        assertThat(lease.exitCode()).as(lease.err()).isZero();
    }

    @Test
    void aLeaseBreakNeedsASecondPersonAndTheRequesterCannotApproveIt() throws Exception {
        Files.writeString(Path.of(ws(), AllowedSigners.FILE), team.allowedSigners().replace("roles=\"admin\"", "roles=\"admin,approver\"")
                .replace("bob@example.com roles=\"approver,viewer\"", "bob@example.com roles=\"approver,admin\""));
        recorded();
        CliRun asked = as("carol", "lease", "break", "api", "--reason", "alice's laptop died");
        assertThat(asked.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(asked.err()).contains("lease-break is a two-person gate", "asked for approval as request r-", "./certops approve r-");
        String id = asked.err().replaceAll("(?s).*request (r-[0-9a-f]+) .*", "$1");

        CliRun self = as("carol", "approve", id, "break a lease", "--reason", "me");
        assertThat(self.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(self.err()).contains("cannot approve their own request");

        CliRun list = as("bob", "approve", "--list");
        assertThat(list.out()).contains(id, "carol@example.com asks to break a lease api", "why: alice's laptop died");
        CliRun ok = as("bob", "approve", id, "break a lease", "--reason", "checked: alice's console is gone");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        CliRun again = as("carol", "lease", "break", "api", "--reason", "alice's laptop died");
        assertThat(again.exitCode()).as(again.err()).isZero();
        CliRun third = as("carol", "lease", "break", "api", "--reason", "alice's laptop died");
        assertThat(third.exitCode()).as("an approval is used once").isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void anExpiredRequestCannotBeApproved() throws Exception {
        Files.writeString(Path.of(ws(), AllowedSigners.FILE), team.allowedSigners().replace("roles=\"admin\"", "roles=\"admin\""));
        Files.writeString(Path.of(ws(), TeamPolicy.FILE), "twoPerson: [lease-break]\napprovalsExpireAfter: 30m\n");
        recorded();
        Instant t0 = Instant.now();
        CliRun asked = as(Clock.fixed(t0, ZoneOffset.UTC), "carol", "lease", "break", "api", "--reason", "stuck");
        String id = asked.err().replaceAll("(?s).*request (r-[0-9a-f]+) .*", "$1");
        CliRun late = as(Clock.fixed(t0.plus(Duration.ofMinutes(31)), ZoneOffset.UTC), "bob", "approve", id, "break a lease", "--reason", "ok");
        assertThat(late.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(late.err()).contains("expired at", "can no longer be approved", "carol@example.com asks again");
    }

    @Test
    void everyEventIsSignedAndSsh_keygenVerifiesTheSignatureOverTheEventHash() throws Exception {
        recorded();
        HistoryDatabase db = new HistoryDatabase.Sqlite(Path.of(ws(), "history.db"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + Path.of(ws(), "history.db"));
             PreparedStatement ps = c.prepareStatement("SELECT e.hash, s.signature, e.actor FROM events e JOIN event_signatures s ON s.seq = e.seq "
                     + "WHERE e.kind = 'team.signers.recorded'");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(3)).isEqualTo("carol@example.com");
            String out = team.sshKeygenVerify(dir, "carol@example.com", rs.getString(2), rs.getString(1));
            assertThat(out).contains("Good \"certops\" signature for carol@example.com");
        }
        assertThat(db.where()).isNotBlank();
        CliRun audit = as("bob", "audit", "verify");
        assertThat(audit.exitCode()).as(audit.out() + audit.err()).isZero();
        assertThat(audit.out()).contains("the chain is intact", "signatures, each by a key allowed at its moment");
    }

    @Test
    void auditVerifyNamesAForgedARe_usedAndAMissingSignature() throws Exception {
        recorded();
        assertThat(as("carol", "lease", "break", "api", "--reason", "nothing held").exitCode()).isEqualTo(ExitCodes.FAILED); // a request, signed
        Path file = Path.of(ws(), "history.db");
        long reused;
        long forged;
        long unsigned;
        try (HistoryStore h = HistoryStores.open(new HistoryDatabase.Sqlite(file), "alice@example.com", Clock.systemUTC())) {
            // written around certops: no signer attached
            reused = h.append(new NewEvent("deploy.finished", "api", "ok", Map.of())).seq();
            forged = h.append(new NewEvent("acme.certificate.revoked", "api", "ok", Map.of())).seq();
            unsigned = h.append(new NewEvent("lease.broken", "api", "ok", Map.of())).seq();
            String forgedHash = h.query(dev.certops.history.EventQuery.all().afterSeq(forged - 1).limit(1)).get(0).hash();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                String carols;
                try (ResultSet rs = c.createStatement().executeQuery("SELECT signature FROM event_signatures ORDER BY seq LIMIT 1")) {
                    rs.next();
                    carols = rs.getString(1);
                }
                insert(c, reused, carols);
                insert(c, forged, SshSignature.sign(KeyFileSigner.read(team.mallory), forgedHash.getBytes(US_ASCII)).base64());
            }
            assertThat(h).isInstanceOf(JdbcHistoryStore.class);
        }
        CliRun audit = as("bob", "audit", "verify");
        assertThat(audit.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(audit.out()).contains("the chain is intact", "SIGNATURES: 3 of")
                .contains("event " + reused + " (deploy.finished, by alice@example.com): carries the signature of event ")
                .contains("event " + forged + " (acme.certificate.revoked, by alice@example.com): signed by ssh-ed25519 ")
                .contains("a key not in the allowed signers in force then")
                .contains("event " + unsigned + " (lease.broken, by alice@example.com): changes the world but is not signed");
    }

    @Test
    void aRunbookRevokeGateWaitsForASecondPersonThenTheStepRunsWithTheApproval() throws Exception {
        recorded();
        CliRun first = as("alice", "runbook", "run", "key-compromise", "--param", "certificate=api", "--param", "serial=0a1b", "--yes");
        assertThat(first.exitCode()).isNotZero();
        assertThat(first.out() + first.err()).contains("this step needs a second person (revoke is a two-person gate)", "./certops approve ");
        String run = (first.out() + first.err()).replaceAll("(?s).*\\./certops approve (\\S+) revoke.*", "$1");

        CliRun list = as("bob", "approve", "--list");
        assertThat(list.out()).contains(run + " revoke — alice@example.com asks to revoke api (revoke gate)",
                "why: runbook key-compromise: Revoke the compromised certificate", "preview: ");
        CliRun self = as("alice", "approve", run, "revoke", "--reason", "mine");
        assertThat(self.err()).contains("cannot approve their own request");
        CliRun ok = as("bob", "approve", run, "revoke", "--reason", "serial matches the leaked key");
        assertThat(ok.exitCode()).as(ok.err()).isZero();

        CliRun resumed = as("alice", "runbook", "resume", run, "--yes");
        assertThat(resumed.out() + resumed.err()).as("past the gate: the revoke itself runs (nothing was issued here)")
                .doesNotContain("needs a second person").contains("✖ [1/5] Revoke the compromised certificate");
        try (HistoryStore h = HistoryStores.open(new HistoryDatabase.Sqlite(Path.of(ws(), "history.db")), "reader", Clock.systemUTC())) {
            assertThat(h.query(dev.certops.history.EventQuery.all().kind("approval.")))
                    .extracting(e -> e.kind() + " " + e.subject() + " " + e.actor())
                    .containsExactly("approval.requested " + run + " alice@example.com", "approval.granted " + run + " bob@example.com");
            dev.certops.report.ReportFormats.writeAll(dev.certops.report.RunReports.fromHistory(h, run), dir.resolve("report"));
        }
        String html = Files.readString(dir.resolve("report").resolve("report.html"));
        assertThat(html).contains("alice@example.com", "two-person request", "bob@example.com", "second approval",
                "serial matches the leaked key");
    }

    private static void insert(Connection c, long seq, String signature) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_signatures (seq, signature) VALUES (?, ?)")) {
            ps.setLong(1, seq);
            ps.setString(2, signature);
            ps.executeUpdate();
        }
    }
}

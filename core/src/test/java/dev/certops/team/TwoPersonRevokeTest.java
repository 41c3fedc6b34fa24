package dev.certops.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.PebbleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-person revoke on a team history in real PostgreSQL against a real Pebble: alice (operator,
 * revoker) asks, cannot approve herself, bob approves from his own console (a second session on the
 * same database), and alice's revoke then goes through; the audit holds every signature.
 */
class TwoPersonRevokeTest {
    @TempDir static Path dir;
    static TeamCaWorkspace world;
    static PebbleFixture ca;
    static Path ws;

    @BeforeAll
    static void start() throws Exception {
        world = TeamCaWorkspace.start(dir, "two-person.example.test");
        ca = world.ca;
        ws = world.ws.root();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Map<String, String> env(String who) { return world.env(who); }

    private static CliRun run(String who, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--workspace";
        all[args.length + 1] = ws.toString();
        return CliRun.run(env(who), "", all);
    }

    @Test
    void aRevokeApprovedFromASecondConsoleGoesThroughAndSelfApprovalIsRefused() throws Exception {
        CliRun issued = run("alice", "issue", "web", "--http01-listen", "127.0.0.2:" + ca.httpPort());
        assertThat(issued.exitCode()).as(issued.out() + issued.err()).isZero();
        String serial = issued.out().replaceAll("(?s).*serial ([0-9a-f]+),.*", "$1");

        CliRun asked = run("alice", "revoke", "web", "--reason", "key-compromise");
        assertThat(asked.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(asked.err()).contains("revoke is a two-person gate", "Nothing was done");
        assertThat(ca.certStatusBySerial(serial)).doesNotContain("Revoked");

        try (CompositionRoot alice = new CompositionRoot(new Workspace(ws), env("alice"), Clock.systemUTC());
             CompositionRoot bob = new CompositionRoot(new Workspace(ws), env("bob"), Clock.systemUTC())) {
            alice.history();
            bob.history();
            ApprovalRequest r = bob.team().approvals().pending().get(0);
            assertThat(r.requester()).isEqualTo("alice@example.com");
            assertThat(r.why()).isEqualTo("certops revoke web, reason key-compromise");
            assertThatThrownBy(() -> alice.team().approvals().decide(r.id(), r.step(), true, "looks fine to me"))
                    .isInstanceOf(NotAllowedException.class).hasMessageContaining("cannot approve their own request");
            Approvals.Status s = bob.team().approvals().decide(r.id(), r.step(), true, "the key leaked: confirmed in the incident channel");
            assertThat(s.state()).isEqualTo(Approvals.State.GRANTED);
            assertThat(s.decidedBy()).contains("bob@example.com");
        }

        CliRun revoked = run("alice", "revoke", "web", "--reason", "key-compromise");
        assertThat(revoked.exitCode()).as(revoked.out() + revoked.err()).isZero();
        assertThat(revoked.out()).contains("Revoked web version 1");
        assertThat(ca.certStatusBySerial(serial)).contains("Revoked");

        CliRun audit = run("bob", "audit", "verify");
        assertThat(audit.exitCode()).as(audit.out()).isZero();
        assertThat(audit.out()).contains("the chain is intact", "each by a key allowed at its moment");

        Path csv = dir.resolve("audit.csv");
        CliRun export = run("bob", "audit", "export", "--format", "csv", "--out", csv.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        String revokedRow = Files.readAllLines(csv).stream().filter(l -> l.contains(",acme.certificate.revoked,")).findFirst().orElseThrow();
        assertThat(revokedRow).contains("alice@example.com/").endsWith(",bob@example.com");
    }
}

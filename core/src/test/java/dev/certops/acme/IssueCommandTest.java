package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certops issue} and {@code certops revoke} as an operator runs them, against real Pebbles. */
class IssueCommandTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;

    @BeforeAll
    static void start() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stop() { lab.close(); }

    @Test
    void issuePrintsEachStepAndEndsWithTheCaSerialAndNotAfterThenRevokeNamesTheNextStep() throws Exception {
        try (var s = lab.workspace(dir.resolve("ws"), "- { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab } }")) {
            String ws = s.workspace().root().toString();
            CliRun r = CliRun.run("issue", "api", "--workspace", ws);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("[primary] order", "[primary] validation", "Issued api version 1 from primary: serial", "valid until");
            CliRun revoke = CliRun.run("revoke", "api", "--reason", "key-compromise", "--workspace", ws);
            assertThat(revoke.exitCode()).as(revoke.err()).isZero();
            assertThat(revoke.out()).contains("Revoked api version 1", "runbook run key-compromise");
        }
    }

    @Test
    void withEveryCaDownItListsEachCaAndWhyAndExits2() throws Exception {
        lab.primary.stop();
        lab.secondary.stop();
        try (var s = lab.workspace(dir.resolve("ws"), "- { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab } }")) {
            CliRun r = CliRun.run("issue", "api", "--deadline", "1m", "--workspace", s.workspace().root().toString());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.out()).contains("no CA issued 'api'", "- primary: unreachable", "- secondary: unreachable", "the served certificate is untouched");
        } finally {
            lab.primary.start();
            lab.secondary.start();
        }
    }

    @Test
    void anUnknownCertificateOrBadDeadlineIsAUsageError() throws Exception {
        try (var s = lab.workspace(dir.resolve("ws"), "- { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab } }")) {
            String ws = s.workspace().root().toString();
            assertThat(CliRun.run("issue", "nope", "--workspace", ws).exitCode()).isEqualTo(ExitCodes.USAGE);
            CliRun bad = CliRun.run("issue", "api", "--deadline", "soon", "--workspace", ws);
            assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.err()).contains("is not a duration");
        }
    }
}

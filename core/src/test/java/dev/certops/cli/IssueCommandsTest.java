package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.testing.FreePort;
import dev.certops.testing.PebbleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certops issue} and {@code revoke} against two real Pebbles. The CAs resolve names through
 * one challtestsrv; the workspace publishes DNS-01 records into another one, which the CAs never ask,
 * so DNS-01 here always fails validation. HTTP-01 is answered by the built-in responder.
 */
class IssueCommandsTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static ChallTestSrvFixture caDns;
    static ChallTestSrvFixture elsewhere;
    static PebbleFixture primary;
    static PebbleFixture secondary;

    @BeforeAll
    static void start() throws Exception {
        caDns = ChallTestSrvFixture.start(Files.createDirectories(labDir.resolve("dns")));
        elsewhere = ChallTestSrvFixture.start(Files.createDirectories(labDir.resolve("dns2")));
        int http = FreePort.tcp();
        primary = PebbleFixture.builder(labDir.resolve("primary")).httpPort(http).dns(caDns).start();
        secondary = PebbleFixture.builder(labDir.resolve("secondary")).httpPort(http).dns(caDns).start();
        caDns.addA("cli-web.example.test", "127.0.0.2");
    }

    @AfterAll
    static void stop() {
        primary.close();
        secondary.close();
        elsewhere.close();
        caDns.close();
    }

    private String ws() throws Exception {
        Path ws = dir.resolve("ws");
        if (!Files.exists(ws.resolve("certops.yaml"))) {
            assertThat(CliRun.run("init", "--workspace", ws.toString()).exitCode()).isZero();
            Files.writeString(ws.resolve("certops.yaml"), """
                    resolvers: ["%s"]
                    cas:
                      - { id: primary, directory: "%s", trust: "%s", agreeToTerms: true }
                      - { id: secondary, directory: "%s", trust: "%s", agreeToTerms: true }
                    dns:
                      - { id: lab, type: challtestsrv, url: "%s" }
                    hosts:
                      - { id: site, address: local, certDir: "%s", webroot: "%s" }
                    certificates:
                      - { id: web, names: [cli-web.example.test], challenge: { type: http-01, host: site } }
                      - { id: blind, names: [cli-blind.example.test], challenge: { type: dns-01, dns: lab } }
                    """.formatted(elsewhere.dnsHostPort(), primary.directoryUrl(), primary.trustAnchorPem(), secondary.directoryUrl(),
                    secondary.trustAnchorPem(), elsewhere.managementUrl(), ws.resolve("live"), ws.resolve("webroot")));
        }
        return ws.toString();
    }

    private String listen() { return "127.0.0.2:" + primary.httpPort(); }

    @Test
    void issueWithTheBuiltInResponderPrintsEachStepAndEndsWithTheCaSerialAndNotAfter() throws Exception {
        CliRun r = CliRun.run("issue", "web", "--http01-listen", listen(), "--workspace", ws());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("[primary] order", "[primary] challenge", "[primary] validation", "[primary] finalize", "[primary] download")
                .containsPattern("Issued web version 1 from primary: serial [0-9a-f]+, valid until 20");
    }

    @Test
    void issueThatCannotValidateStopsAtTheFirstCaAndPrintsWhatTheCaSaw() throws Exception {
        CliRun r = CliRun.run("issue", "blind", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("no CA issued 'blind'", "primary: the CA could not validate cli-blind.example.test (dns-01)")
                .doesNotContain("  - secondary:");
    }

    @Test
    void issueWithFailoverOnValidationFailureTriesTheNextCaAndListsEveryCaTried() throws Exception {
        CliRun r = CliRun.run("issue", "blind", "--failover-on-validation-failure", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("  - primary: the CA could not validate", "  - secondary: the CA could not validate", "failover");
    }

    @Test
    void revokePrintsTheSerialAndTheCaSeesItRevoked() throws Exception {
        assertThat(CliRun.run("issue", "web", "--http01-listen", listen(), "--workspace", ws()).exitCode()).isZero();
        CliRun r = CliRun.run("revoke", "web", "--reason", "superseded", "--workspace", ws());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        String serial = r.out().replaceAll("(?s).*\\(serial ([0-9a-f]+)\\).*", "$1");
        assertThat(r.out()).contains("Revoked web version 1", "reason superseded");
        assertThat(primary.certStatusBySerial(serial)).contains("Revoked");
    }

    @Test
    void issuingAnUnknownCertificateIsAUsageErrorNamingTheKnownOnes() throws Exception {
        CliRun r = CliRun.run("issue", "nope", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no certificate 'nope'", "known: ", "web").doesNotContain("internal error");
    }

    @Test
    void anHttp01ListenAddressThatIsNotAddressAndPortIsAUsageError() throws Exception {
        CliRun r = CliRun.run("issue", "web", "--http01-listen", "port80", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err() + r.out()).contains("--http01-listen: 'port80' is not ADDRESS:PORT");
    }
}

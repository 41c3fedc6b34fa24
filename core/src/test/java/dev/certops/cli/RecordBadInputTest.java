package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.testing.TestTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, table by table: each gets a specific sentence with what to do, never an internal error,
 * and nothing is changed (no lease event for an id that is not a certificate). The deploy gate refuses
 * revoked versions and chains a client would reject unless forced with a reason, which is recorded.
 */
class RecordBadInputTest {
    @TempDir static Path shared;
    static TestTls tls;
    @TempDir Path dir;
    Workspace ws;

    @BeforeAll
    static void certificate() throws Exception {
        tls = TestTls.create(shared.resolve("tls"));
    }

    @BeforeEach
    void workspace() throws Exception {
        ws = new Workspace(dir.resolve("ws"));
        assertThat(CliRun.run("init", "--workspace", ws.root().toString()).exitCode()).isZero();
    }

    private CliRun run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--workspace";
        all[args.length + 1] = ws.root().toString();
        return CliRun.run(all);
    }

    private void yaml(String text) throws Exception { Files.writeString(ws.configFile(), text); }

    record Bad(String yaml, String expected) {
        @Override public String toString() { return expected; }
    }

    static List<Bad> badConfigs() {
        return List.of(
                new Bad("certificates:\n  - { id: a, names: [10.0.0.5] }\n", "'10.0.0.5' is an IP address: certops orders DNS names only"),
                new Bad("certificates:\n  - { id: a, names: ['*.co.uk'], challenge: { type: dns-01, dns: d } }\n"
                        + "dns:\n  - { id: d, type: challtestsrv, url: 'http://127.0.0.1:1' }\n",
                        "is a wildcard on a public suffix (co.uk is on the Public Suffix List)"),
                new Bad("a: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n", "nested more than 64 levels deep (the YAML nesting limit)"),
                new Bad("a: &a [x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                        + "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
                        "aliases (*name) for collections (the YAML alias limit"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void aBadConfigIsNamedWithWhatToDo(Bad bad) throws Exception {
        yaml(bad.yaml());
        CliRun r = run("config", "check");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains(bad.expected()).doesNotContain("internal error").doesNotContain("Exception");
    }

    @Test
    void aTrailingDotIsNormalisedSoTheNameMatchesTheCertificate() throws Exception {
        yaml("certificates:\n  - { id: a, names: [api.example.com.] }\n");
        assertThat(dev.certops.config.ConfigLoader.load(ws.configFile()).certificate("a").orElseThrow().names()).containsExactly("api.example.com");
    }

    @Test
    void latin1AndUtf16FilesAreNamedWithTheirEncodingAndLine() throws Exception {
        Files.write(ws.configFile(), "# caf\u00e9 list\ncertificates: []\n".getBytes(StandardCharsets.ISO_8859_1));
        CliRun latin = run("config", "check");
        assertThat(latin.err()).contains("is not UTF-8: byte 0xE9 on line 1", "save it as UTF-8");
        Files.write(ws.configFile(), "certificates: []\n".getBytes(StandardCharsets.UTF_16));
        CliRun utf16 = run("config", "check");
        assertThat(utf16.err()).contains("is UTF-16 encoded; certops reads UTF-8");
    }

    @Test
    void anEmptyConfigWithStoredVersionsIsUnmanagedAndStatusExitsOne() throws Exception {
        tls.storeAs(ws, "api", "1");
        yaml("# nothing here any more\n");
        CliRun check = run("config", "check");
        assertThat(check.out() + check.err()).contains("certops.yaml does not list 1 certificate(s)", "api", "nothing renews or watches them");
        CliRun status = run("status");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.WARNING);
        assertThat(status.err()).contains("does not list 1 certificate(s) this workspace holds versions or history of: api");
    }

    @Test
    void aPemWhoseLabelDoesNotMatchItsContentIsNamedAndNothingIsStored() throws Exception {
        yaml("certificates:\n  - { id: api, names: [localhost] }\n");
        String cert = Files.readString(tls.certPem());
        String key = Files.readString(tls.keyPem());
        Path certUnderKeyLabel = dir.resolve("fullchain.pem");
        Files.writeString(certUnderKeyLabel, cert.replace("BEGIN CERTIFICATE", "BEGIN PRIVATE KEY").replace("END CERTIFICATE", "END PRIVATE KEY"));
        Path keyUnderCertLabel = dir.resolve("privkey.pem");
        Files.writeString(keyUnderCertLabel, key.replaceAll("(BEGIN|END) [A-Z ]*PRIVATE KEY", "$1 CERTIFICATE"));

        CliRun badCert = run("import", "pem", "--cert", "api", certUnderKeyLabel.toString(), tls.keyPem().toString());
        CliRun badKey = run("import", "pem", "--cert", "api", tls.certPem().toString(), keyUnderCertLabel.toString());

        for (CliRun r : List.of(badCert, badKey)) {
            assertThat(r.exitCode()).as(r.out() + r.err()).isNotZero();
            assertThat(r.err()).containsAnyOf("does not hold what its label says", "contains a private key where certificates were expected")
                    .contains("label").doesNotContain("internal error", "Exception");
        }
        assertThat(badKey.err()).contains("labelled CERTIFICATE does not hold what its label says", "the label was probably edited");
        assertThat(ws.certsDir().resolve("api")).doesNotExist();
    }

    @Test
    void aRetiredCertificateStopsWarningUntilANewVersionOfItAppears() throws Exception {
        tls.storeAs(ws, "api", "1");
        try (HistoryStore h = SqliteHistoryStore.open(ws.historyFile(), "tester@test")) {
            h.append(new NewEvent(EventKinds.ACME_CERT_ISSUED, "api", "ok", Map.of("serial", "1", "version", 1)));
            h.append(new NewEvent(EventKinds.ACME_CERT_ISSUED, "old-web", "ok", Map.of("serial", "2", "version", 1)));
        }
        yaml("certificates:\n  - { id: mail, names: [mail.example.com] }\n");
        assertThat(run("status").err()).contains("does not list 2 certificate(s)", "api, old-web", "certops estate retire ID --reason");

        CliRun listed = run("estate", "retire", "mail", "--reason", "gone");
        assertThat(listed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(listed.err()).contains("mail is still listed under certificates:", "remove it there first", "nothing was recorded");
        CliRun unknown = run("estate", "retire", "nope", "--reason", "gone");
        assertThat(unknown.err()).contains("knows no unmanaged certificate nope", "certs/nope");
        CliRun blank = run("estate", "retire", "api", "--reason", " ");
        assertThat(blank.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(blank.err()).contains("give --reason");

        CliRun api = run("estate", "retire", "api", "--reason", "moved to the CDN's certificate");
        assertThat(api.exitCode()).as(api.out() + api.err()).isZero();
        assertThat(api.out()).contains("Retired api", "1 stored version(s) stay under certs/api");
        assertThat(run("estate", "retire", "old-web", "--reason", "host decommissioned").out()).contains("it had no stored version");

        CliRun status = run("status");
        assertThat(status.err()).doesNotContain("does not list");
        CliRun check = run("config", "check");
        assertThat(check.out() + check.err()).doesNotContain("does not list");
        assertThat(run("estate", "retire", "api", "--reason", "again").err()).contains("api was already retired on", "nothing was recorded");
        try (HistoryStore h = SqliteHistoryStore.open(ws.historyFile(), "auditor@test")) {
            assertThat(h.query(EventQuery.all().kind(EventKinds.CERTIFICATE_RETIRED))).hasSize(2)
                    .first().satisfies(e -> assertThat(e.details()).contains("moved to the CDN's certificate", "\"versions\":1"));
        }

        tls.storeAs(ws, "api", "2"); // a version stored after the retirement: managed by nobody again
        assertThat(run("status").err()).contains("does not list 1 certificate(s) this workspace holds versions or history of: api");
    }

    @Test
    void anIdThatIsNotACertificateWritesNoLeaseEventAndConcurrencyZeroIsAUsageError() throws Exception {
        yaml("certificates:\n  - { id: api, names: [api.example.com] }\n");
        CliRun nl = run("deploy", "api\nx");
        assertThat(nl.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(nl.err()).contains("no certificate").doesNotContain("internal error");
        try (HistoryStore h = SqliteHistoryStore.open(ws.historyFile(), "auditor@test")) {
            assertThat(h.query(EventQuery.all().kind("lease."))).isEmpty();
        }
        CliRun zero = run("deploy", "api", "--concurrency", "0");
        assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("--concurrency 0 is not a number of hosts: give 1 or more");
        CliRun half = run("deploy", "api", "--force");
        assertThat(half.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(half.err()).contains("--force and --reason go together");
    }

    private void localHost() throws Exception {
        Path certDir = Files.createDirectories(dir.resolve("host"));
        yaml("hosts:\n  - { id: h, address: local, certDir: " + certDir + ", test: 'true', reload: 'true' }\n"
                + "certificates:\n  - { id: api, names: [localhost], deploy: { waves: [[h]] } }\n");
    }

    @Test
    void aRevokedVersionIsRefusedUnlessForcedWithAReasonWhichIsRecorded() throws Exception {
        localHost();
        tls.storeAs(ws, "api", "1");
        try (HistoryStore h = SqliteHistoryStore.open(ws.historyFile(), "tester@test")) {
            h.append(new NewEvent(EventKinds.ACME_REVOKED, "api", "ok", Map.of("serial", tls.serial().toLowerCase(), "ca", "x", "reason", "keyCompromise")));
        }
        CliRun refused = run("deploy", "api");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("was revoked (history records it)", "--force --reason");
        assertThat(dir.resolve("host/live")).doesNotExist();

        CliRun forced = run("deploy", "api", "--force", "--reason", "drill: prove the gate can be overridden");
        // deployed (the host serves no endpoint of api, so it is not verified: a warning, exit 1)
        assertThat(forced.exitCode()).as(forced.out() + forced.err()).isEqualTo(ExitCodes.WARNING);
        try (HistoryStore h = SqliteHistoryStore.open(ws.historyFile(), "auditor@test")) {
            assertThat(h.query(EventQuery.all().kind(EventKinds.DEPLOY_FORCED))).singleElement()
                    .satisfies(e -> assertThat(e.details()).contains("drill: prove the gate", "was revoked"));
        }
    }

    @Test
    void aLeafOnlyChainThatClientsWouldRejectIsRefused() throws Exception {
        localHost();
        Path leafOnly = dir.resolve("leaf-only");
        Files.createDirectories(leafOnly);
        Path v = Files.createDirectories(ws.certsDir().resolve("api").resolve("1"));
        Files.copy(tls.certPem(), v.resolve("cert.pem"));
        Files.writeString(v.resolve("chain.pem"), "");
        Files.copy(tls.keyPem(), ws.secretsDir().resolve("api-1.key"));
        CliRun refused = run("deploy", "api");
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("a TLS client would reject its chain: intermediate missing");
    }
}

package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.root.CompositionRoot;
import dev.certops.crypto.PemReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary CA is a real Pebble whose HTTPS certificate comes from a test root Java does not trust,
 * with no {@code trust:} file in its entry; the secondary works. Issuance stops at once with the
 * issuer named, never retried and never failed over.
 */
class UntrustedCaTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    private static final String CERTS = "- { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab } }";
    private final TestTime time = new TestTime();

    @BeforeAll
    static void start() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stop() { lab.close(); }

    /** The lab's workspace with the primary's {@code trust:} line taken out. */
    private CompositionRoot withoutPrimaryTrust() throws Exception {
        Path root = dir.resolve("ws");
        lab.workspace(root, CERTS).close();
        Path config = root.resolve("certops.yaml");
        String yaml = Files.readString(config);
        String line = "    trust: " + lab.primary.trustAnchorPem() + "\n";
        assertThat(yaml).contains(line);
        Files.writeString(config, yaml.replaceFirst(java.util.regex.Pattern.quote(line), ""));
        return new CompositionRoot(new dev.certops.config.Workspace(root), java.util.Map.of("USER", "tester"), time);
    }

    private static String pebbleRoot() throws Exception {
        return PemReader.readCertificates(lab.primary.trustAnchorPem()).get(0).getSubjectX500Principal().getName();
    }

    @Test
    void anUntrustedCaCertificateIsNamedAndStopsWithoutRetryOrFailover() throws Exception {
        try (CompositionRoot s = withoutPrimaryTrust()) {
            IssuanceService svc = s.operations().issuance(FailoverPolicy.defaults().withDeadline(Duration.ofMinutes(10))).sleepingWith(time).withoutBudget();
            assertThatThrownBy(() -> svc.issue(IssueRequest.of("api"), IssuanceListener.NONE))
                    .isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("primary: the CA's TLS certificate is issued by " + pebbleRoot() + ", which is not trusted: add it with trust: FILE")
                    .hasMessageNotContaining("Network error")
                    .hasMessageNotContaining("secondary")
                    .satisfies(e -> assertThat(((IssuanceException) e).failures()).singleElement()
                            .isInstanceOfSatisfying(AcmeFailure.Misconfigured.class, m -> assertThat(m.untrustedTls()).isTrue()));
            assertThat(time.waits()).as("no backoff: a retry cannot fix trust").isEmpty();
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.ACME_ATTEMPT))).singleElement()
                    .satisfies(e -> assertThat(e.outcome()).isEqualTo("stop"));
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.ACME_FAILOVER))).isEmpty();
            assertThat(svc.versions().list("api")).isEmpty();
        }
    }

    @Test
    void issueExits78WithTheSentenceAndTheNextStep() throws Exception {
        try (CompositionRoot s = withoutPrimaryTrust()) {
            CliRun r = CliRun.run("issue", "api", "--workspace", s.workspace().root().toString());
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.CONFIG);
            assertThat(r.out()).contains("- primary: the CA's TLS certificate is issued by " + pebbleRoot() + ", which is not trusted: add it with trust: FILE",
                    "Next: add the CA certificate named above with trust:").doesNotContain("secondary", "Network error");
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.ACME_FAILOVER))).isEmpty();
        }
    }
}

package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.Keys;
import dev.certops.crypto.PemReader;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.NewEvent;
import dev.certops.session.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuance against two real Pebble CAs, with HTTP-01 through nginx and DNS-01 through challtestsrv. */
class IssuanceServiceTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;

    private static final String CERTS = """
            - { id: api, names: [api.example.test], challenge: { type: http-01, host: web } }
            - { id: multi, names: [a.example.test, b.example.test], key: rsa-2048, challenge: { type: dns-01, dns: lab } }
            - { id: wild, names: ["*.wild.example.test", wild.example.test], challenge: { type: dns-01, dns: lab } }
            - { id: unserved, names: [lost.example.test], challenge: { type: http-01, host: nowhere } }
            - { id: p384, names: [k1.example.test], key: ec-p384, challenge: { type: dns-01, dns: lab } }
            - { id: r3072, names: [k2.example.test], key: rsa-3072, challenge: { type: dns-01, dns: lab } }
            - { id: r4096, names: [k3.example.test], key: rsa-4096, challenge: { type: dns-01, dns: lab } }
            """;

    @BeforeAll
    static void startLab() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stopLab() { lab.close(); }

    private Session session() throws Exception { return lab.workspace(dir.resolve("ws"), CERTS); }

    private static IssuanceService service(Session s) {
        return new IssuanceService(s, FailoverPolicy.defaults().withBackoff(Duration.ofMillis(50)));
    }

    private static List<HistoryEvent> events(Session s, String kind) throws Exception {
        return s.history().query(EventQuery.all().kind(kind));
    }

    @Test
    void issuesWithHttp01ThroughTheHostsWebrootAndCleansTheTokenUp() throws Exception {
        try (Session s = session()) {
            List<String> steps = new ArrayList<>();
            CertificateVersions.Version v = service(s).issue(IssueRequest.of("api"), (ca, stage, msg) -> steps.add(stage + " " + msg));
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(v.number()).isEqualTo(1);
            var chain = PemReader.readCertificates(Files.readString(v.dir().resolve("fullchain.pem")), "fullchain");
            assertThat(CertificateInfo.from(chain.get(0)).sans()).containsExactly("api.example.test");
            assertThat(Keys.matches(s.secrets().readPrivateKey(v.keyRef()), chain.get(0))).isTrue();
            assertThat(steps).anyMatch(x -> x.startsWith("VALIDATION")).anyMatch(x -> x.startsWith("DONE"));
            try (Stream<Path> files = Files.walk(lab.webroot)) {
                assertThat(files.filter(Files::isRegularFile)).isEmpty();
            }
            assertThat(events(s, EventKinds.ACME_CERT_ISSUED)).singleElement().satisfies(e -> assertThat(e.details()).contains("\"serial\":\"" + v.serial()));
            assertThat(events(s, EventKinds.ACME_ACCOUNT_CREATED)).hasSize(1);
        }
    }

    @Test
    void issuesSeveralNamesAndAWildcardWithDns01() throws Exception {
        try (Session s = session()) {
            IssuanceService svc = service(s);
            var multi = svc.issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            var wild = svc.issue(IssueRequest.of("wild"), IssuanceListener.NONE);
            assertThat(CertificateInfo.from(leaf(multi)).sans()).containsExactlyInAnyOrder("a.example.test", "b.example.test");
            assertThat(CertificateInfo.from(leaf(multi)).keyType()).contains(KeyType.RSA_2048);
            assertThat(CertificateInfo.from(leaf(wild)).sans()).contains("*.wild.example.test");
            assertThat(events(s, EventKinds.ACME_ACCOUNT_CREATED)).as("one account, re-bound for the second order").hasSize(1);
        }
    }

    @Test
    void everyKeyTypeIsIssued() throws Exception {
        try (Session s = session()) {
            IssuanceService svc = service(s);
            for (var id : List.of("p384", "r3072", "r4096")) {
                var v = svc.issue(IssueRequest.of(id), IssuanceListener.NONE);
                assertThat(CertificateInfo.from(leaf(v)).keyType()).as(id).contains(s.config().certificate(id).orElseThrow().key());
            }
        }
    }

    @Test
    void failsOverToSecondaryWhenPrimaryIsDownAndRecordsTheDecision() throws Exception {
        lab.primary.stop();
        try (Session s = session()) {
            var v = service(s).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(events(s, EventKinds.ACME_FAILOVER)).singleElement().satisfies(e -> assertThat(e.details()).contains("\"from\":\"primary\"", "\"to\":\"secondary\"", "unreachable"));
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("retry", "retry", "failover");
        } finally {
            lab.primary.start();
        }
    }

    @Test
    void caaIsCheckedBeforeFailingOverAndSaysWhichCaItAllows() throws Exception {
        lab.primary.stop();
        lab.dns.addCaa("caa.example.test", "issue", "primary.pebble.test");
        try (Session s = lab.workspace(dir.resolve("ws"), "- { id: caa, names: [caa.example.test], challenge: { type: dns-01, dns: lab } }")) {
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("caa"), IssuanceListener.NONE))
                    .isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("CAA for caa.example.test allows only primary.pebble.test; secondary.pebble.test cannot issue");
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).as("no order was sent to the secondary").isEmpty();
        } finally {
            lab.primary.start();
        }
    }

    @Test
    void aRateLimitPastTheDeadlineMovesOnAtOnceAndOneBeforeItIsWaitedOut() throws Exception {
        try (Session s = session()) {
            s.history().append(new NewEvent(EventKinds.ACME_RATE_LIMITED, "api", "failed", Map.of("ca", "primary", "staging", false,
                    "retryAfter", Instant.now().plus(Duration.ofHours(2)).toString(), "detail", "too many certificates")));
            var v = service(s).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).extracting(HistoryEvent::details).noneMatch(d -> d.contains("\"ca\":\"primary\""));
        }
        try (Session s = lab.workspace(dir.resolve("ws2"), CERTS)) {
            s.history().append(new NewEvent(EventKinds.ACME_RATE_LIMITED, "api", "failed", Map.of("ca", "primary", "staging", false,
                    "retryAfter", Instant.now().plusMillis(300).toString(), "detail", "slow down")));
            List<Duration> waits = new ArrayList<>();
            IssuanceService svc = new IssuanceService(s, FailoverPolicy.defaults(), d -> { waits.add(d); Thread.sleep(d.toMillis()); }, Optional::empty);
            var v = svc.issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(waits).isNotEmpty();
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).contains("wait");
        }
    }

    @Test
    void aChallengeThatCannotValidateNamesTheNameAndTheCasDetailAndLeavesNothingBehind() throws Exception {
        try (Session s = session()) {
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("unserved"), IssuanceListener.NONE))
                    .isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("could not validate lost.example.test (http-01)")
                    .hasMessageContaining("primary");
            try (Stream<Path> files = Files.walk(lab.unservedWebroot)) {
                assertThat(files.filter(Files::isRegularFile)).isEmpty();
            }
            assertThat(events(s, EventKinds.ACME_AUTHZ_FAILED)).hasSize(1);
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).as("validation failures are not retried blindly").hasSize(1);
        }
    }

    @Test
    void anInterruptedIssuanceReattachesToItsOrderInsteadOfOrderingAgain() throws Exception {
        try (Session s = session()) {
            IssuanceService svc = service(s);
            IssuanceListener crash = (ca, stage, msg) -> {
                if (stage == IssuanceListener.Stage.CHALLENGE) throw new IllegalStateException("console killed");
            };
            assertThatThrownBy(() -> svc.issue(IssueRequest.of("api"), crash)).hasMessageContaining("console killed");
            var v = svc.issue(IssueRequest.of("api"), IssuanceListener.NONE);
            assertThat(v.number()).isEqualTo(1);
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).hasSize(1);
            assertThat(events(s, EventKinds.ACME_ORDER_REATTACHED)).hasSize(1);
        }
    }

    @Test
    void revocationIsVisibleOnPebblesManagementInterface() throws Exception {
        try (Session s = session()) {
            IssuanceService svc = service(s);
            var v = svc.issue(IssueRequest.of("api"), IssuanceListener.NONE);
            svc.revoke("api", Optional.empty(), IssuanceService.RevocationReason.KEY_COMPROMISE);
            assertThat(lab.primary.certStatusBySerial(v.serial())).contains("Revoked");
            assertThat(events(s, EventKinds.ACME_REVOKED)).singleElement().satisfies(e -> assertThat(e.details()).contains("key-compromise"));
        }
    }

    @Test
    void termsMustBeAcceptedInTheConfiguration() throws Exception {
        try (Session s = session()) {
            Files.writeString(s.workspace().configFile(), Files.readString(s.workspace().configFile()).replace("agreeToTerms: true", "agreeToTerms: false"));
            s.reloadConfig();
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE))
                    .hasMessageContaining("requires accepting its terms of service").hasMessageContaining("agreeToTerms: true");
        }
    }

    private static java.security.cert.X509Certificate leaf(CertificateVersions.Version v) throws Exception {
        return PemReader.readCertificates(v.dir().resolve("cert.pem")).get(0);
    }
}

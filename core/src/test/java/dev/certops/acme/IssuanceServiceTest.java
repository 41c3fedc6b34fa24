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
import dev.certops.root.CompositionRoot;
import dev.certops.testing.ChallTestSrvFixture;
import java.net.InetSocketAddress;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
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
            - { id: r2048, names: [k4.example.test], key: rsa-2048, challenge: { type: dns-01, dns: lab } }
            - { id: p256, names: [k5.example.test], key: ec-p256, challenge: { type: dns-01, dns: lab } }
            - { id: inproc, names: [inproc.example.test], challenge: { type: http-01, host: web } }
            - { id: blind, names: [blind.example.test], challenge: { type: dns-01, dns: lab } }
            - { id: keep, names: [keep.example.test], reuseKey: true, challenge: { type: dns-01, dns: lab } }
            - { id: fresh, names: [fresh.example.test], challenge: { type: dns-01, dns: lab } }
            """;
    private final TestTime time = new TestTime();

    @BeforeAll
    static void startLab() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stopLab() { lab.close(); }

    private CompositionRoot session() throws Exception {
        return lab.workspace(dir.resolve("ws"), CERTS, lab.primary.directoryUrl(), lab.secondary.directoryUrl(), time);
    }

    /** Backoff and Retry-After waits go through {@link TestTime}: recorded, not waited. */
    private IssuanceService service(CompositionRoot s) throws Exception {
        return s.operations().issuance(FailoverPolicy.defaults()).sleepingWith(time).withoutBudget();
    }

    private static List<HistoryEvent> events(CompositionRoot s, String kind) throws Exception {
        return s.history().query(EventQuery.all().kind(kind));
    }

    @Test
    void issuesWithHttp01ThroughTheHostsWebrootAndCleansTheTokenUp() throws Exception {
        try (CompositionRoot s = session()) {
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
    void issuesSeveralNamesWithDns01OnOneAccount() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            var multi = svc.issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            svc.issue(IssueRequest.of("p256"), IssuanceListener.NONE);
            assertThat(CertificateInfo.from(leaf(multi)).sans()).containsExactlyInAnyOrder("a.example.test", "b.example.test");
            assertThat(events(s, EventKinds.ACME_ACCOUNT_CREATED)).as("one account, re-bound for the second order").hasSize(1);
        }
    }

    @Test
    void issuesAWildcardWithDns01() throws Exception {
        try (CompositionRoot s = session()) {
            var wild = service(s).issue(IssueRequest.of("wild"), IssuanceListener.NONE);
            assertThat(CertificateInfo.from(leaf(wild)).sans()).containsExactlyInAnyOrder("*.wild.example.test", "wild.example.test");
        }
    }

    @Test
    void issuesWithHttp01AnsweredByTheInProcessResponder() throws Exception {
        lab.dns.addA("inproc.example.test", "127.0.0.2");
        try (CompositionRoot s = session();
             Http01Responder responder = Http01Responder.start(new InetSocketAddress("127.0.0.2", lab.primary.httpPort()))) {
            var v = service(s).withHttp01Responder(responder).issue(IssueRequest.of("inproc").onlyFrom("primary"), IssuanceListener.NONE);
            assertThat(CertificateInfo.from(leaf(v)).sans()).containsExactly("inproc.example.test");
            assertThat(responder.served()).as("the token is no longer served").isZero();
            try (Stream<Path> files = Files.walk(lab.webroot)) {
                assertThat(files.filter(Files::isRegularFile)).as("nothing written to any webroot").isEmpty();
            }
        }
    }

    @Test
    void aSecondIssuanceIsANewVersionWithAFreshKeyAndTheFirstStays() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            var first = svc.issue(IssueRequest.of("fresh"), IssuanceListener.NONE);
            var second = svc.issue(IssueRequest.of("fresh"), IssuanceListener.NONE);
            assertThat(second.number()).isEqualTo(first.number() + 1);
            assertThat(svc.versions().list("fresh")).extracting(CertificateVersions.Version::serial).containsExactly(first.serial(), second.serial());
            assertThat(leaf(second).getPublicKey()).isNotEqualTo(leaf(first).getPublicKey());
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED).get(1).details()).contains("\"renewal\":true");
        }
    }

    @Test
    void reuseKeyIssuesTheNewVersionForTheSameKey() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            var first = svc.issue(IssueRequest.of("keep"), IssuanceListener.NONE);
            List<String> steps = new ArrayList<>();
            var second = svc.issue(IssueRequest.of("keep"), (ca, stage, msg) -> steps.add(msg));
            assertThat(leaf(second).getPublicKey()).isEqualTo(leaf(first).getPublicKey());
            assertThat(steps).anyMatch(m -> m.contains("key of version 1 (reuseKey)"));
        }
    }

    @Test
    void aFreshKeyIssueOfAReuseKeyCertificateGetsANewKey() throws Exception {
        try (CompositionRoot s = session()) {
            var first = service(s).issue(IssueRequest.of("keep"), IssuanceListener.NONE);
            List<String> steps = new ArrayList<>();
            var second = service(s).withFreshKey().issue(IssueRequest.of("keep"), (ca, stage, msg) -> steps.add(msg));
            assertThat(leaf(second).getPublicKey()).isNotEqualTo(leaf(first).getPublicKey());
            assertThat(steps).noneMatch(m -> m.contains("(reuseKey)"));
        }
    }

    @Test
    void everyKeyTypeIsIssued() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            for (var id : List.of("p256", "p384", "r2048", "r3072", "r4096")) {
                var v = svc.issue(IssueRequest.of(id), IssuanceListener.NONE);
                assertThat(CertificateInfo.from(leaf(v)).keyType()).as(id).contains(s.config().certificate(id).orElseThrow().key());
            }
        }
    }

    @Test
    void failsOverToSecondaryWhenPrimaryIsDownAndRecordsTheDecision() throws Exception {
        lab.primary.stop();
        try (CompositionRoot s = session()) {
            var v = service(s).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(events(s, EventKinds.ACME_FAILOVER)).singleElement().satisfies(e -> assertThat(e.details()).contains("\"from\":\"primary\"", "\"to\":\"secondary\"", "unreachable"));
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("retry", "retry", "failover");
            assertThat(time.waits()).as("two backoffs, not waited in the test").hasSize(2);
        } finally {
            lab.primary.start();
        }
    }

    @Test
    void caaIsCheckedBeforeFailingOverAndSaysWhichCaItAllows() throws Exception {
        lab.primary.stop();
        lab.dns.addCaa("caa.example.test", "issue", "primary.pebble.test");
        try (CompositionRoot s = lab.workspace(dir.resolve("ws"), "- { id: caa, names: [caa.example.test], challenge: { type: dns-01, dns: lab } }")) {
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("caa"), IssuanceListener.NONE))
                    .isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("CAA for caa.example.test allows only primary.pebble.test; secondary.pebble.test cannot issue");
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).as("no order was sent to the secondary").isEmpty();
        } finally {
            lab.primary.start();
        }
    }

    @Test
    void aRateLimitRememberedFromAnEarlierRunPastTheDeadlineMovesOnWithoutAskingThePrimary() throws Exception {
        try (CompositionRoot s = session()) {
            s.history().append(new NewEvent(EventKinds.ACME_RATE_LIMITED, "api", "failed", Map.of("ca", "primary", "staging", false,
                    "retryAfter", time.instant().plus(Duration.ofHours(2)).toString(), "detail", "too many certificates")));
            var v = service(s).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).extracting(HistoryEvent::details).noneMatch(d -> d.contains("\"ca\":\"primary\""));
            assertThat(time.waits()).isEmpty();
        }
    }

    @Test
    void aDuplicateCertificateLimitOfAnotherCertificateDoesNotMoveThisOneOffThePrimary() throws Exception {
        try (CompositionRoot s = session()) {
            s.history().append(new NewEvent(EventKinds.ACME_RATE_LIMITED, "other", "failed", Map.of("ca", "primary", "staging", false,
                    "names", List.of("other.example.test"), "retryAfter", time.instant().plus(Duration.ofDays(3)).toString(),
                    "detail", "rate limited: too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s")));
            var v = service(s).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(time.waits()).isEmpty();
        }
    }

    @Test
    void aDuplicateCertificateLimitOfTheSameNamesMovesOnWithoutAskingThePrimary() throws Exception {
        try (CompositionRoot s = session()) {
            s.history().append(new NewEvent(EventKinds.ACME_RATE_LIMITED, "multi", "failed", Map.of("ca", "primary", "staging", false,
                    "names", List.of("a.example.test", "b.example.test"), "retryAfter", time.instant().plus(Duration.ofDays(3)).toString(),
                    "detail", "rate limited: too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s")));
            var v = service(s).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).extracting(HistoryEvent::details).noneMatch(d -> d.contains("\"ca\":\"primary\""));
        }
    }

    @Test
    void aRateLimitRememberedFromAnEarlierRunEndingBeforeTheDeadlineIsWaitedOut() throws Exception {
        try (CompositionRoot s = session()) {
            s.history().append(new NewEvent(EventKinds.ACME_RATE_LIMITED, "api", "failed", Map.of("ca", "primary", "staging", false,
                    "retryAfter", time.instant().plusSeconds(30).toString(), "detail", "slow down")));
            var v = service(s).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(time.waits()).singleElement().satisfies(w -> assertThat(w).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30)));
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("wait");
        }
    }

    @Test
    void aChallengeThatCannotValidateNamesTheNameAndTheCasDetailAndLeavesNothingBehind() throws Exception {
        try (CompositionRoot s = session()) {
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("unserved"), IssuanceListener.NONE))
                    .isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("could not validate lost.example.test (http-01)")
                    .hasMessageContaining("primary");
            try (Stream<Path> files = Files.walk(lab.unservedWebroot)) {
                assertThat(files.filter(Files::isRegularFile)).isEmpty();
            }
            assertThat(events(s, EventKinds.ACME_AUTHZ_FAILED)).hasSize(1);
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).as("validation failures are not retried blindly").hasSize(1);
            assertThat(s.secrets().exists("unserved-pending.key")).as("no key of a failed order left in secrets/").isFalse();
        }
    }

    @Test
    void aDns01ChallengeTheCaCannotSeeFailsNamingTheNameAndLeavesNoTxtRecord() throws Exception {
        // the workspace publishes into (and checks propagation on) a second DNS server that the CA does not ask
        try (ChallTestSrvFixture elsewhere = ChallTestSrvFixture.start(Files.createDirectories(dir.resolve("dns2")));
             CompositionRoot s = session()) {
            Files.writeString(s.workspace().configFile(), Files.readString(s.workspace().configFile())
                    .replace(lab.dns.dnsHostPort(), elsewhere.dnsHostPort()).replace(lab.dns.managementUrl(), elsewhere.managementUrl()));
            s.reloadConfig();
            List<String> steps = new ArrayList<>();
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("blind").onlyFrom("primary"), (ca, stage, msg) -> steps.add(stage + " " + msg)))
                    .isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("could not validate blind.example.test (dns-01)")
                    .satisfies(e -> assertThat(((IssuanceException) e).failures()).singleElement()
                            .isInstanceOfSatisfying(AcmeFailure.ValidationFailed.class, f -> {
                                assertThat(f.identifier()).isEqualTo("blind.example.test");
                                assertThat(f.detail()).as("what the CA saw").isNotBlank().doesNotContain("gave no detail");
                            }));
            assertThat(steps).as("the record was published and seen before the CA was asked").anyMatch(x -> x.startsWith("PROPAGATION"));
            assertThat(txt(elsewhere, "_acme-challenge.blind.example.test.")).as("no TXT record left behind").isEmpty();
            assertThat(events(s, EventKinds.ACME_AUTHZ_FAILED)).singleElement().satisfies(e -> assertThat(e.details()).contains("blind.example.test", "dns-01"));
        }
    }

    @Test
    void anInterruptedIssuanceReattachesToItsOrderInsteadOfOrderingAgain() throws Exception {
        try (CompositionRoot s = session()) {
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
    void anIssuanceInterruptedAfterFinalizingReattachesAndDownloadsWithTheSameKey() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            IssuanceListener crash = (ca, stage, msg) -> {
                if (stage == IssuanceListener.Stage.DOWNLOAD) throw new IllegalStateException("power cut");
            };
            assertThatThrownBy(() -> svc.issue(IssueRequest.of("multi"), crash)).hasMessageContaining("power cut");
            var v = svc.issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(Keys.matches(s.secrets().readPrivateKey(v.keyRef()), leaf(v))).isTrue();
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).hasSize(1);
            assertThat(events(s, EventKinds.ACME_ORDER_REATTACHED)).hasSize(1);
        }
    }

    @Test
    void revocationWithTheAccountKeyIsVisibleOnPebblesManagementInterface() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            var v = svc.issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            svc.revoke("multi", Optional.of(v.number()), IssuanceService.RevocationReason.SUPERSEDED);
            assertThat(lab.primary.certStatusBySerial(v.serial())).contains("Revoked");
            assertThat(events(s, EventKinds.ACME_REVOKED)).singleElement().satisfies(e -> assertThat(e.details()).contains("superseded", v.serial()));
        }
    }

    @Test
    void revocationForKeyCompromiseWithTheCertificatesKeyIsVisibleOnPebblesManagementInterface() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            var v = svc.issue(IssueRequest.of("api"), IssuanceListener.NONE);
            svc.revoke("api", Optional.empty(), IssuanceService.RevocationReason.KEY_COMPROMISE);
            assertThat(lab.primary.certStatusBySerial(v.serial())).contains("Revoked");
            assertThat(events(s, EventKinds.ACME_REVOKED)).singleElement().satisfies(e -> assertThat(e.details()).contains("key-compromise"));
        }
    }

    @Test
    void termsMustBeAcceptedInTheConfiguration() throws Exception {
        try (CompositionRoot s = session()) {
            Files.writeString(s.workspace().configFile(), Files.readString(s.workspace().configFile()).replace("agreeToTerms: true", "agreeToTerms: false"));
            s.reloadConfig();
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE))
                    .hasMessageContaining("requires accepting its terms of service").hasMessageContaining("agreeToTerms: true");
        }
    }

    private static List<String> txt(ChallTestSrvFixture server, String fqdn) throws Exception {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.dnsPort()));
        Message answer = r.send(Message.newQuery(Record.newRecord(Name.fromString(fqdn), Type.TXT, DClass.IN)));
        return answer.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    private static java.security.cert.X509Certificate leaf(CertificateVersions.Version v) throws Exception {
        return PemReader.readCertificates(v.dir().resolve("cert.pem")).get(0);
    }
}

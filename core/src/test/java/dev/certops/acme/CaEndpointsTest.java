package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which directory, account and trust an issuance uses: staging, a CA that lost its accounts, a CA entry without its trust anchor. */
class CaEndpointsTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    private final TestTime time = new TestTime();
    private static final String CERTS = "- { id: multi, names: [a.example.test, b.example.test], challenge: { type: dns-01, dns: lab } }";

    @BeforeAll
    static void startLab() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stopLab() { lab.close(); }

    private CompositionRoot session() throws Exception {
        return lab.workspace(dir.resolve("ws"), CERTS, lab.primary.directoryUrl(), lab.secondary.directoryUrl(), time);
    }

    private IssuanceService service(CompositionRoot s) throws Exception {
        return s.operations().issuance(FailoverPolicy.defaults()).sleepingWith(time).withoutBudget();
    }

    private static List<HistoryEvent> events(CompositionRoot s, String kind) throws Exception {
        return s.history().query(EventQuery.all().kind(kind));
    }

    @Test
    void stagingUsesTheCasStagingDirectoryWithItsOwnAccount() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            svc.issue(IssueRequest.of("multi").onlyFrom("secondary"), IssuanceListener.NONE);
            var v = svc.issue(IssueRequest.of("multi").onlyFrom("secondary").staging(true), IssuanceListener.NONE);
            assertThat(v.staging()).isTrue();
            assertThat(events(s, EventKinds.ACME_ACCOUNT_CREATED)).extracting(HistoryEvent::details)
                    .anyMatch(d -> d.contains("\"staging\":false")).anyMatch(d -> d.contains("\"staging\":true"));
            assertThat(s.workspace().stateDir().resolve("acme/secondary-staging.account")).exists();
        }
    }

    @Test
    void aCaWithoutAStagingDirectoryIsNotUsedForStaging() throws Exception {
        try (CompositionRoot s = session()) {
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("multi").onlyFrom("primary").staging(true), IssuanceListener.NONE))
                    .isInstanceOf(IssuanceException.class).hasMessageContaining("primary (staging): has no staging: directory");
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).isEmpty();
        }
    }

    @Test
    void theAccountIsReboundNotRegisteredAgain() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            svc.issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE);
            String url = Files.readString(s.workspace().stateDir().resolve("acme/primary.account")).strip();
            svc.issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE);
            assertThat(events(s, EventKinds.ACME_ACCOUNT_CREATED)).singleElement().satisfies(e -> assertThat(e.details()).contains(url));
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).allSatisfy(e -> assertThat(e.details()).contains(url));
        }
    }

    @Test
    void theAccountIsRegisteredWithTheContactFromTheConfiguration() throws Exception {
        try (CompositionRoot s = session()) {
            Files.writeString(s.workspace().configFile(), Files.readString(s.workspace().configFile())
                    .replaceFirst("agreeToTerms: true", "agreeToTerms: true\n    contact: mailto:ops@example.test"));
            s.reloadConfig();
            service(s).issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE);
            CaEndpoint primary = new CaEndpoint(s.config().ca("primary").orElseThrow(), false);
            var login = new Accounts(s.workspace(), s.secrets(), s.history()).login(primary, AcmeSessions.open(primary, s.workspace()));
            assertThat(login.getAccount().getContacts()).extracting(Object::toString).containsExactly("mailto:ops@example.test");
        }
    }

    @Test
    void aCaThatLostItsAccountsGetsTheAccountRegisteredAgain() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceService svc = service(s);
            svc.issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE);
            lab.primary.stop();
            lab.primary.start(); // Pebble keeps nothing between runs, as a CA restored from an old backup
            var v = svc.issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE);
            assertThat(v.number()).isEqualTo(2);
            assertThat(events(s, EventKinds.ACME_ACCOUNT_CREATED)).hasSize(2);
        }
    }

    @Test
    void aCaEntryWithoutItsTrustAnchorIsNotTrusted() throws Exception {
        try (CompositionRoot s = session()) {
            Files.writeString(s.workspace().configFile(), Files.readString(s.workspace().configFile())
                    .replace("    trust: " + lab.primary.trustAnchorPem() + "\n", ""));
            s.reloadConfig();
            assertThatThrownBy(() -> service(s).issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE))
                    .isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("primary: the CA's TLS certificate is issued by CN=certops test CA, which is not trusted: add it with trust: FILE");
            assertThat(service(s).issue(IssueRequest.of("multi").onlyFrom("secondary"), IssuanceListener.NONE).ca())
                    .as("the secondary's own trust anchor still applies to it alone").isEqualTo("secondary");
        }
    }
}

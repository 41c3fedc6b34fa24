package dev.certops.acme.dns;

import dev.certops.testing.ChallTestSrvFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** CAA against real pebble-challtestsrv, which serves mocked CAA policies and SERVFAIL on request. */
class CaaCheckerTest {
    @TempDir static Path dir;
    static ChallTestSrvFixture srv;
    static CaaChecker checker;

    @BeforeAll static void start() throws Exception {
        srv = ChallTestSrvFixture.start(dir);
        checker = new CaaChecker(srv.resolvers());
    }

    @AfterAll static void stop() { if (srv != null) srv.close(); }

    @Test
    void noCaaRecordAllowsAnyCa() {
        CaaVerdict verdict = checker.check(List.of("open.example.test"), "sectigo.com");

        assertThat(verdict.allowed()).isTrue();
        assertThat(verdict.results()).singleElement().isInstanceOf(CaaResult.Allowed.class);
    }

    @Test
    void issueForOneCaRefusesAnotherWithTheReason() throws Exception {
        srv.addCaa("only-le.example.test", "issue", "letsencrypt.org");

        CaaVerdict verdict = checker.check(List.of("only-le.example.test"), "sectigo.com");

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.blocked()).singleElement().isInstanceOf(CaaResult.Refused.class)
                .extracting(CaaResult::reason)
                .isEqualTo("CAA for only-le.example.test allows only letsencrypt.org; sectigo.com cannot issue");
    }

    @Test
    void issueWithParametersAllowsTheNamedCa() throws Exception {
        srv.addCaa("le-account.example.test", "issue", "letsencrypt.org; accounturi=https://acme/acct/1");

        assertThat(checker.check(List.of("le-account.example.test"), "LetsEncrypt.org").allowed()).isTrue();
    }

    @Test
    void caaAtParentAppliesToSubdomain() throws Exception {
        srv.addCaa("parent.example.test", "issue", "pki.goog");

        CaaVerdict verdict = checker.check(List.of("www.api.parent.example.test"), "letsencrypt.org");

        assertThat(verdict.blocked()).singleElement().extracting(CaaResult::reason).isEqualTo(
                "CAA for www.api.parent.example.test (set at parent.example.test) allows only pki.goog; letsencrypt.org cannot issue");
    }

    @Test
    void caaAtSubdomainOverridesParent() throws Exception {
        srv.addCaa("override.example.test", "issue", "pki.goog");
        srv.addCaa("shop.override.example.test", "issue", "letsencrypt.org");

        assertThat(checker.check(List.of("shop.override.example.test"), "letsencrypt.org").allowed()).isTrue();
    }

    @Test
    void wildcardUsesIssuewildWhenPresent() throws Exception {
        srv.addCaa("wild.example.test", "[{\"tag\":\"issue\",\"value\":\"sectigo.com\"},{\"tag\":\"issuewild\",\"value\":\"letsencrypt.org\"}]");

        CaaVerdict verdict = checker.check(List.of("wild.example.test", "*.wild.example.test"), "sectigo.com");

        assertThat(verdict.results().get(0)).isInstanceOf(CaaResult.Allowed.class);
        assertThat(verdict.results().get(1)).isInstanceOf(CaaResult.Refused.class).extracting(CaaResult::reason)
                .isEqualTo("CAA for *.wild.example.test (issuewild) allows only letsencrypt.org; sectigo.com cannot issue");
    }

    @Test
    void wildcardFallsBackToIssueWithoutIssuewild() throws Exception {
        srv.addCaa("tame.example.test", "issue", "letsencrypt.org");

        CaaVerdict verdict = checker.check(List.of("*.tame.example.test"), "sectigo.com");

        assertThat(verdict.blocked()).singleElement().extracting(CaaResult::reason)
                .isEqualTo("CAA for *.tame.example.test allows only letsencrypt.org; sectigo.com cannot issue");
    }

    @Test
    void emptyIssuerForbidsEveryCa() throws Exception {
        srv.addCaa("closed.example.test", "issue", ";");

        assertThat(checker.check(List.of("closed.example.test"), "letsencrypt.org").blocked()).singleElement()
                .extracting(CaaResult::reason)
                .isEqualTo("CAA for closed.example.test forbids all issuance; letsencrypt.org cannot issue");
    }

    @Test
    void servfailIsNotAllowedAndSaysWhy() throws Exception {
        srv.setServfail("broken.example.test");

        CaaVerdict verdict = checker.check(List.of("broken.example.test"), "letsencrypt.org");

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.blocked()).singleElement().isInstanceOf(CaaResult.LookupFailed.class)
                .extracting(CaaResult::reason).asString()
                .startsWith("CAA lookup for broken.example.test failed: SERVFAIL")
                .contains("CAs treat a failed CAA lookup as a refusal");
    }
}

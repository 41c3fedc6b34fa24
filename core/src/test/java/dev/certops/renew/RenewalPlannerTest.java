package dev.certops.renew;

import static dev.certops.renew.PlannerFixtures.NOW;
import static dev.certops.renew.PlannerFixtures.cert;
import static dev.certops.renew.PlannerFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.CertificateConfig;
import dev.certops.config.RenewConfig;
import dev.certops.crypto.KeyType;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenewalPlannerTest {
    private static final Duration DAYS_90 = Duration.ofDays(90);
    private final AriMoments midpoint = (id, w) -> w.start().plus(Duration.between(w.start(), w.end()).dividedBy(2));
    private final RenewalPlanner planner = new RenewalPlanner(Clock.fixed(NOW, ZoneOffset.UTC), RenewConfig.DEFAULT, midpoint);

    @Test
    void renewsNinetyDayCertificateWithLessThanThirtyDaysLeft() {
        RenewalDecision d = planner.decide(RenewalInput.of(config("www", "www.example.test"),
                List.of(cert("01", "www.example.test", Duration.ofDays(61), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.reason()).contains("29 d").contains("renewBefore 30d");
    }

    @Test
    void keepsNinetyDayCertificateWithMoreThanThirtyDaysLeft() {
        RenewalDecision d = planner.decide(RenewalInput.of(config("www", "www.example.test"),
                List.of(cert("01", "www.example.test", Duration.ofDays(59), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.NONE);
        assertThat(d.reason()).startsWith("not due: 31 d 0 h left");
        assertThat(d.dueAt()).contains(NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void renewsSixDayCertificateWithTwoDaysLeftButNotThree() {
        CertificateConfig c = config("short", "short.example.test");
        assertThat(planner.decide(RenewalInput.of(c, List.of(cert("01", "short.example.test", Duration.ofDays(4), Duration.ofDays(6)))))
                .action()).isEqualTo(RenewalAction.RENEW);
        assertThat(planner.decide(RenewalInput.of(c, List.of(cert("01", "short.example.test", Duration.ofDays(3), Duration.ofDays(6)))))
                .action()).isEqualTo(RenewalAction.NONE);
    }

    @Test
    void globalRenewBeforeReplacesTheLifetimeRule() {
        RenewalPlanner p = new RenewalPlanner(Clock.fixed(NOW, ZoneOffset.UTC),
                new RenewConfig(Optional.of(Duration.ofDays(45)), Duration.ofHours(26)), midpoint);
        RenewalDecision d = p.decide(RenewalInput.of(config("www", "www.example.test"),
                List.of(cert("01", "www.example.test", Duration.ofDays(50), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.reason()).contains("renewBefore 45d");
    }

    @Test
    void perCertificateRenewBeforeWinsOverGlobal() {
        RenewalPlanner p = new RenewalPlanner(Clock.fixed(NOW, ZoneOffset.UTC),
                new RenewConfig(Optional.of(Duration.ofDays(45)), Duration.ofHours(26)), midpoint);
        CertificateConfig c = config("www", List.of("www.example.test"), KeyType.EC_P256, Optional.of(Duration.ofDays(10)));
        assertThat(p.decide(RenewalInput.of(c, List.of(cert("01", "www.example.test", Duration.ofDays(50), DAYS_90)))).action())
                .isEqualTo(RenewalAction.NONE);
    }

    @Test
    void newestKnownCertificateIsCurrentEvenWhenOnlyFoundLive() {
        RenewalDecision d = planner.decide(RenewalInput.of(config("www", "www.example.test"), List.of(
                cert("old", "www.example.test", Duration.ofDays(80), DAYS_90),
                cert("live", "www.example.test", Duration.ofDays(5), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.NONE);
        assertThat(d.current().orElseThrow().serial()).isEqualTo("live");
    }

    @Test
    void renewsWhenNoCertificateIsKnown() {
        RenewalDecision d = planner.decide(RenewalInput.of(config("new", "new.example.test"), List.of()));
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.reason()).contains("no certificate");
    }

    @Test
    void aCertificateIssuedLessThanATenthOfItsLifetimeAgoIsNeverReorderedTheLoopIsReported() {
        CertificateConfig c = config("www", List.of("www.example.test", "api.example.test"), KeyType.EC_P256, Optional.empty());
        RenewalDecision d = planner.decide(RenewalInput.of(c, List.of(cert("01", "www.example.test", Duration.ofDays(1), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.NONE);
        assertThat(d.reason()).startsWith(RenewalPlanner.NOT_RENEWED + "renewal loop").contains("less than a tenth of its lifetime", "names changed");
    }

    @Test
    void aRenewBeforeNotShorterThanTheLifetimeIsRefusedNotOrderedEveryRun() {
        CertificateConfig c = config("www", List.of("www.example.test"), KeyType.EC_P256, Optional.of(Duration.ofDays(100)));
        RenewalDecision d = planner.decide(RenewalInput.of(c, List.of(cert("01", "www.example.test", Duration.ofDays(30), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.NONE);
        assertThat(d.reason()).contains("renewBefore 100d is not shorter than the certificate's lifetime", "every run would order a new one");
    }

    @Test
    void renewsWhenConfiguredNamesNoLongerMatch() {
        CertificateConfig c = config("www", List.of("www.example.test", "api.example.test"), KeyType.EC_P256, Optional.empty());
        RenewalDecision d = planner.decide(RenewalInput.of(c, List.of(cert("01", "www.example.test", Duration.ofDays(10), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.reason()).contains("names changed").contains("api.example.test");
    }

    @Test
    void renewsWhenConfiguredKeyTypeNoLongerMatches() {
        CertificateConfig c = config("www", List.of("www.example.test"), KeyType.RSA_3072, Optional.empty());
        RenewalDecision d = planner.decide(RenewalInput.of(c, List.of(cert("01", "www.example.test", Duration.ofDays(10), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.reason()).isEqualTo("key type changed: configured rsa-3072, certificate has ec-p256");
    }

    @Test
    void renewsWhenCurrentCertificateWasRevoked() {
        RenewalInput in = new RenewalInput(config("www", "www.example.test"),
                List.of(cert("0abc", "www.example.test", Duration.ofDays(1), DAYS_90)), true, Optional.empty(), List.of());
        RenewalDecision d = planner.decide(in);
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.reason()).contains("0abc was revoked");
    }

    @Test
    void renewsInsideAriWindowOnceItsChosenMomentHasPassed() {
        RenewalInput in = new RenewalInput(config("www", "www.example.test"),
                List.of(cert("01", "www.example.test", Duration.ofDays(10), DAYS_90)), false,
                Optional.of(new AriWindow(NOW.minus(Duration.ofHours(4)), NOW.plus(Duration.ofHours(2)))), List.of());
        RenewalDecision d = planner.decide(in);
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.reason()).contains("renewal window");
    }

    @Test
    void waitsInsideAriWindowUntilItsChosenMoment() {
        RenewalInput in = new RenewalInput(config("www", "www.example.test"),
                List.of(cert("01", "www.example.test", Duration.ofDays(10), DAYS_90)), false,
                Optional.of(new AriWindow(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(5)))), List.of());
        assertThat(planner.decide(in).action()).isEqualTo(RenewalAction.NONE);
    }

    @Test
    void ariWindowEntirelyInThePastMeansRenewNow() {
        AriMoments never = (id, w) -> { throw new AssertionError("a past window needs no chosen moment"); };
        RenewalPlanner p = new RenewalPlanner(Clock.fixed(NOW, ZoneOffset.UTC), RenewConfig.DEFAULT, never);
        RenewalInput in = new RenewalInput(config("www", "www.example.test"),
                List.of(cert("01", "www.example.test", Duration.ofDays(10), DAYS_90)), false,
                Optional.of(new AriWindow(NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)))), List.of());
        RenewalDecision d = p.decide(in);
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.dueAt()).contains(NOW);
    }

    @Test
    void divergedHostsAreRedeployedNotReissued() {
        RenewalInput in = new RenewalInput(config("www", "www.example.test"),
                List.of(cert("01", "www.example.test", Duration.ofDays(10), DAYS_90)), false, Optional.empty(), List.of("web1"));
        RenewalDecision d = planner.decide(in);
        assertThat(d.action()).isEqualTo(RenewalAction.REDEPLOY);
        assertThat(d.hosts()).containsExactly("web1");
        assertThat(d.reason()).contains("re-deploy");
    }

    @Test
    void expiredCertificateIsRenewedWithAReason() {
        RenewalDecision d = planner.decide(RenewalInput.of(config("www", "www.example.test"),
                List.of(cert("01", "www.example.test", Duration.ofDays(91), DAYS_90))));
        assertThat(d.action()).isEqualTo(RenewalAction.RENEW);
        assertThat(d.reason()).startsWith("expired at");
    }

    @Test
    void namesCompareWithoutRegardToCaseOrOrder() {
        CertificateConfig c = config("www", List.of("API.example.test", "www.example.test"), KeyType.EC_P256, Optional.empty());
        assertThat(planner.decide(RenewalInput.of(c, List.of(cert("01", List.of("www.example.test", "api.example.test"),
                KeyType.EC_P256, Duration.ofDays(1), DAYS_90)))).action()).isEqualTo(RenewalAction.NONE);
    }

}

package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetGuardTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String ACCOUNT = "https://ca.example/acct/1";
    private final UsageLedger ledger = new UsageLedger(LimitTable.of("le", RateLimitPresets.LETSENCRYPT.buckets()));
    private final BudgetService budget = new BudgetService(ledger, Clock.fixed(NOW, ZoneOffset.UTC), 0.8);
    private final TestEvents ev = new TestEvents("le", ACCOUNT);
    private final CertificateRequest www = CertificateRequest.of("web", "le", ACCOUNT, List.of("www.example.com"));

    private void issueSameSet(int times) {
        for (int i = 0; i < times; i++) ev.issue("web", NOW.minusSeconds(60 - i), List.of("www.example.com"), "b" + i).forEach(ledger::ingest);
    }

    @Test
    void anOrderWellInsideEveryBucketIsAllowed() {
        assertThat(budget.check(www, false)).isInstanceOf(GuardDecision.Allowed.class);
    }

    @Test
    void anOrderThatWouldCrossTheSafetyLineNeedsAnOverride() {
        issueSameSet(4);   // exact set: 4 of 5, line 4
        GuardDecision d = budget.check(www, false);
        assertThat(d).isInstanceOfSatisfying(GuardDecision.NeedsOverride.class, n -> {
            assertThat(n.reason()).contains("80% safety line").contains("www.example.com").contains("4 of 5 used");
            assertThat(n.withoutOverrideAt()).isAfter(NOW);
        });
    }

    @Test
    void anOverrideAllowsAnOrderTheCaWouldStillAccept() {
        issueSameSet(4);
        assertThat(budget.check(www, true)).isInstanceOf(GuardDecision.Allowed.class);
    }

    @Test
    void anOrderTheCaWouldRefuseIsRefusedEvenWithAnOverride() {
        issueSameSet(5);
        GuardDecision d = budget.check(www, true);
        assertThat(d).isInstanceOfSatisfying(GuardDecision.Refused.class, r -> {
            assertThat(r.earliest()).isEqualTo(NOW.minusSeconds(60).plus(Duration.ofHours(34)));
            assertThat(r.reason()).contains("do not send it before");
        });
    }

    @Test
    void theCasRetryAfterRefusesAnOrderTheLocalCountWouldAllow() {
        Instant retryAfter = NOW.plusSeconds(1800);
        ledger.ingest(ev.rateLimited(NOW.minusSeconds(10), retryAfter, "too many new orders (300) recently", List.of("x.example.org")));
        assertThat(budget.check(www, true)).isInstanceOfSatisfying(GuardDecision.Refused.class,
                r -> assertThat(r.earliest()).isEqualTo(retryAfter));
    }

    @Test
    void aRetryAfterRecordedAsSecondsCountsFromTheRefusal() {
        // imported or hand-written records may carry Retry-After as the CA sent it: a number of seconds, as JSON or as text
        ledger.ingest(ev.event(dev.certops.history.EventKinds.ACME_RATE_LIMITED, "", NOW.minusSeconds(10),
                java.util.Map.of("retryAfter", 1800, "detail", "too many new orders (300) recently", "names", "x.example.org")));
        assertThat(budget.check(www, true)).isInstanceOfSatisfying(GuardDecision.Refused.class,
                r -> assertThat(r.earliest()).isEqualTo(NOW.minusSeconds(10).plusSeconds(1800)));
        ledger.ingest(ev.event(dev.certops.history.EventKinds.ACME_RATE_LIMITED, "", NOW.minusSeconds(5),
                java.util.Map.of("retryAfter", "3600", "detail", "too many new orders (300) recently")));
        assertThat(budget.check(www, true)).isInstanceOfSatisfying(GuardDecision.Refused.class,
                r -> assertThat(r.earliest()).isEqualTo(NOW.minusSeconds(5).plusSeconds(3600)));
    }

    @Test
    void tooManyRecentAuthorizationFailuresHoldTheOrderBack() {
        for (int i = 0; i < 5; i++) ledger.ingest(ev.authzFailed("www.example.com", NOW.minusSeconds(30)));
        assertThat(budget.check(www, true)).isInstanceOfSatisfying(GuardDecision.Refused.class,
                r -> assertThat(r.reason()).contains("authorization failures"));
    }

    @Test
    void aSafetyLineOutsideZeroToOneSaysWhatToWrite() {
        assertThatThrownBy(() -> new BudgetService(ledger, Clock.systemUTC(), 80))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.8 for 80%");
    }
}

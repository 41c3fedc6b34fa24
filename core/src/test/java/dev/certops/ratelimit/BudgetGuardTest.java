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
    void aCaThatCountsNoRegisteredDomainsStillHonoursItsRefusalForOne() {
        // an internal CA's table: no per-registered-domain limit, so issuances never look up the suffix list
        java.util.Map<LimitKind, Bucket> noDomains = new java.util.EnumMap<>(RateLimitPresets.LETSENCRYPT.buckets());
        noDomains.remove(LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN);
        UsageLedger internal = new UsageLedger(LimitTable.of("le", noDomains));
        BudgetService guard = new BudgetService(internal, Clock.fixed(NOW, ZoneOffset.UTC), 0.8);
        for (int i = 0; i < 60; i++) {
            ev.issue("site" + i, NOW.minusSeconds(600 - i), List.of("site" + i + ".example.com"), "c" + i).forEach(internal::ingest);
        }
        assertThat(guard.check(www, false)).as("sixty under example.com: nothing counts them here").isInstanceOf(GuardDecision.Allowed.class);

        // but when the CA itself said no for the registered domain, its answer holds until its Retry-After
        Instant retryAfter = NOW.plusSeconds(3600);
        internal.ingest(ev.rateLimited(NOW.minusSeconds(5), retryAfter,
                "too many certificates (50) already issued for \"example.com\" in the last 168h0m0s", List.of("site1.example.com")));
        assertThat(guard.check(www, true)).isInstanceOfSatisfying(GuardDecision.Refused.class,
                r -> assertThat(r.earliest()).isEqualTo(retryAfter));
        CertificateRequest elsewhere = CertificateRequest.of("other", "le", ACCOUNT, List.of("www.example.org"));
        assertThat(guard.check(elsewhere, false)).isInstanceOf(GuardDecision.Allowed.class);
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

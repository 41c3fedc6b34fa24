package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mass revocation: 60 new certificates under example.com while 45 were issued this week. The 45 went out
 * in the last 45 minutes (one a minute), so less than one of the 202-minute tokens has come back.
 */
class BudgetScenarioTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Instant FIRST = NOW.minus(Duration.ofMinutes(45));
    private static final Duration T = Duration.ofMinutes(202);
    private static final String ACCOUNT = "https://ca.example/acct/1";
    private final UsageLedger ledger = new UsageLedger(LimitTable.of("le", RateLimitPresets.LETSENCRYPT.buckets()));
    private final BudgetService budget = new BudgetService(ledger, Clock.fixed(NOW, ZoneOffset.UTC), BudgetService.DEFAULT_SAFETY_LINE);
    private final List<CertificateRequest> sixty = IntStream.range(0, 60)
            .mapToObj(i -> CertificateRequest.of("new" + i, "le", ACCOUNT, List.of("new" + i + ".example.com"))).toList();

    @BeforeEach
    void fortyFiveIssuedThisWeek() {
        TestEvents ev = new TestEvents("le", ACCOUNT);
        for (int i = 0; i < 45; i++) {
            ev.issue("old" + i, FIRST.plus(Duration.ofMinutes(i)), List.of("old" + i + ".example.com"), Integer.toHexString(0x1000 + i))
                    .forEach(ledger::ingest);
        }
    }

    @Test
    void theDomainShowsFortyFiveOfFiftyUsed() {
        Usage u = budget.domain("le", false, "example.com").orElseThrow().usage();
        assertThat(u.used()).isEqualTo(45);
        assertThat(u.remaining()).isEqualTo(5);
        assertThat(u.nextTokenAt()).isEqualTo(FIRST.plus(T));
        assertThat(u.fullAt()).isEqualTo(FIRST.plus(T.multipliedBy(45)));
    }

    @Test
    void underTheEightyPercentLineNothingGoesNowAndEachHasItsTime() {
        Plan plan = budget.plan(sixty, false);
        assertThat(plan.now()).isEmpty();
        // 45 used ≥ 40: the first may go when 6 tokens are back, then one per refill
        for (int i = 0; i < 60; i++) {
            assertThat(plan.entries().get(i).at()).as("entry %d", i).isEqualTo(FIRST.plus(T.multipliedBy(6 + i)));
            assertThat(plan.entries().get(i).heldBy()).hasValueSatisfying(h -> assertThat(h).contains("example.com"));
        }
    }

    @Test
    void anOverrideLiftsTheLineButNeverPastTheCasCapacity() {
        Plan plan = budget.plan(sixty, true);
        assertThat(plan.now()).hasSize(5);
        for (int i = 5; i < 60; i++) {
            assertThat(plan.entries().get(i).at()).as("entry %d", i).isEqualTo(FIRST.plus(T.multipliedBy(i - 4)));
        }
    }

    @Test
    void theForecastSaysFiveAreAcceptedAndWhenEachRefusedOneCouldGo() {
        Forecast f = budget.forecast(sixty);
        assertThat(f.accepted()).extracting(e -> e.request().certificateId()).containsExactly("new0", "new1", "new2", "new3", "new4");
        assertThat(f.refused()).hasSize(55);
        assertThat(f.refused().get(0).at()).isEqualTo(FIRST.plus(T));
        assertThat(f.refused().get(54).at()).isEqualTo(FIRST.plus(T.multipliedBy(55)));
    }

    @Test
    void renewalsOfTheSameNameSetsAreNotHeldByTheDomainLimit() {
        List<CertificateRequest> renewals = IntStream.range(0, 45)
                .mapToObj(i -> CertificateRequest.of("old" + i, "le", ACCOUNT, List.of("old" + i + ".example.com"))).toList();
        assertThat(budget.plan(renewals, false).now()).hasSize(45);
    }
}

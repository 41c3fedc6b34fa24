package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1,000,000 history events over 2,000 registered domains in the last week (orders, issuances, failed and
 * valid authorizations; 20 accounts; 50 hosts per domain so most issuances are renewals), ingested into
 * the ledger, then: the budget of every domain (target ≤ 200 ms) and of a single domain (target ≤ 5 ms).
 * Run: {@code ./mvnw -B -Pbench -pl core verify -Dtest=BudgetBenchmark}
 */
@Tag("bench")
class BudgetBenchmark {
    private static final int EVENTS = 1_000_000;
    private static final int DOMAINS = 2_000;
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final long SPAN = Duration.ofDays(7).toMillis();

    /** Produces the events in time order; each cycle is order, issuance, failed authorization, valid authorization, order, issuance. */
    private static void generate(Consumer<HistoryEvent> sink) {
        long start = NOW.toEpochMilli() - SPAN;
        String[] kinds = {EventKinds.ACME_ORDER_CREATED, EventKinds.ACME_CERT_ISSUED, EventKinds.ACME_AUTHZ_FAILED,
                EventKinds.ACME_AUTHZ_VALID, EventKinds.ACME_ORDER_CREATED, EventKinds.ACME_CERT_ISSUED};
        for (int i = 0; i < EVENTS; i++) {
            int cert = i / 2;
            int domain = Math.floorMod(cert * 7919, DOMAINS);
            int host = (cert / DOMAINS) % 50;
            String name = "h" + host + ".d" + domain + ".com";
            String kind = kinds[i % kinds.length];
            String extra = kind.startsWith("acme.authorization") ? "\"identifier\":\"" + name + "\""
                    : "\"names\":[\"" + name + "\"]" + (kind.equals(EventKinds.ACME_CERT_ISSUED) ? ",\"serial\":\"" + Integer.toHexString(i) + "\"" : "");
            String details = "{\"account\":\"https://ca.example/acct/" + (domain % 20) + "\",\"ca\":\"le\",\"staging\":false," + extra + "}";
            sink.accept(new HistoryEvent(i + 1, Instant.ofEpochMilli(start + (SPAN * i) / EVENTS), "bench", kind,
                    "c" + cert, "ok", details, "", ""));
        }
    }

    @Test
    void budgetOfEveryDomainAndOfOneDomainFromAMillionEvents() {
        long[] count = {0};
        long t0 = System.nanoTime();
        generate(e -> count[0]++);
        long generateMs = (System.nanoTime() - t0) / 1_000_000;

        UsageLedger ledger = new UsageLedger(LimitTable.of("le", RateLimitPresets.LETSENCRYPT.buckets()));
        t0 = System.nanoTime();
        generate(ledger::ingest);
        long ingestMs = (System.nanoTime() - t0) / 1_000_000 - generateMs;

        BudgetService budget = new BudgetService(ledger, Clock.fixed(NOW, ZoneOffset.UTC), 0.8);
        double[] all = time(20, () -> assertThat(budget.domains("le", false)).hasSize(DOMAINS));
        double[] one = time(2_000, () -> assertThat(budget.domain("le", false, "www.d1234.com")).isPresent());
        double[] whole = time(10, () -> budget.now("le", false));
        List<CertificateRequest> sixty = java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> CertificateRequest.of("n" + i, "le", "https://ca.example/acct/1", List.of("n" + i + ".d" + (i * 33) + ".com"))).toList();
        double[] plan = time(50, () -> budget.plan(sixty, false));

        System.out.printf("BudgetBenchmark: %,d events over %,d registered domains (generation %d ms, not counted)%n", count[0], DOMAINS, generateMs);
        System.out.printf("  ingest into ledger:              %,d ms (%,.0f events/s)%n", ingestMs, count[0] * 1000.0 / Math.max(1, ingestMs));
        System.out.printf("  every domain's budget (%d):    median %.2f ms, max %.2f ms   (target <= 200 ms)%n", DOMAINS, all[0], all[1]);
        System.out.printf("  one domain's budget:             median %.4f ms, max %.4f ms (target <= 5 ms)%n", one[0], one[1]);
        System.out.printf("  whole CA budget (all buckets):   median %.2f ms, max %.2f ms%n", whole[0], whole[1]);
        System.out.printf("  plan for 60 certificates:        median %.3f ms%n", plan[0]);
        assertThat(all[0]).isLessThanOrEqualTo(200);
        assertThat(one[0]).isLessThanOrEqualTo(5);
    }

    /** Runs {@code r} a few times to warm up, then {@code n} times; returns {median, max} in ms. */
    private static double[] time(int n, Runnable r) {
        for (int i = 0; i < Math.max(3, n / 10); i++) r.run();
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[n / 2], ms[n - 1]};
    }
}

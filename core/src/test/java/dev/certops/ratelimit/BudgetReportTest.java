package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetReportTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final UsageLedger ledger = new UsageLedger(LimitTable.of("le", RateLimitPresets.LETSENCRYPT.buckets()));
    private final BudgetService budget = new BudgetService(ledger, Clock.fixed(NOW, ZoneOffset.UTC), 0.8);

    @Test
    void theBudgetJsonListsEachUsedBucketWithItsNumbers() throws Exception {
        new TestEvents("le", "acct-1").issue("web", NOW, List.of("www.example.com"), "01").forEach(ledger::ingest);
        JsonNode json = new ObjectMapper().readTree(BudgetReport.json(budget.now("le", false)));
        JsonNode domain = null;
        for (JsonNode b : json.get("buckets")) if (b.get("limit").asText().equals("newCertificatesPerRegisteredDomain")) domain = b;
        assertThat(domain).isNotNull();
        assertThat(domain.get("key").asText()).isEqualTo("example.com");
        assertThat(domain.get("used").asLong()).isEqualTo(1);
        assertThat(domain.get("remaining").asLong()).isEqualTo(49);
        assertThat(domain.get("refill").asText()).isEqualTo("1/202m");
    }

    @Test
    void thePlanTextSaysHowManyGoNowAndWhyTheOthersWait() {
        List<CertificateRequest> six = java.util.stream.IntStream.range(0, 6)
                .mapToObj(i -> CertificateRequest.of("c" + i, "le", "acct-1", List.of("www.example.com"))).toList();
        String text = BudgetReport.text(budget.plan(six, false));
        assertThat(text).startsWith("Plan at " + dev.certops.words.Words.instant(java.time.Instant.parse("2026-11-23T12:00:00Z")) + ", safety line 80%: 4 now, 2 later");
        assertThat(text).contains("new certificates per exact set of identifiers www.example.com");
    }
}

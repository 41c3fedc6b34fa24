package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.history.HistoryEvent;
import dev.certops.history.NewEvent;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuanceImportTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void issuancesFromACsvCountAgainstTheirRegisteredDomains() throws Exception {
        String csv = "names,ca,time\n"
                + "www.example.com;example.com,le,2026-11-23T10:00:00Z\n"
                + "# certbot on the old box\n"
                + "api.example.com,le,2026-11-23T11:00:00Z\n";
        List<NewEvent> events = IssuanceImport.fromCsv(new StringReader(csv), "certbot.csv");
        UsageLedger ledger = new UsageLedger(LimitTable.of("le", RateLimitPresets.LETSENCRYPT.buckets()));
        ObjectMapper json = new ObjectMapper();
        long seq = 0;
        for (NewEvent e : events) {   // as the history store would record them
            ledger.ingest(new HistoryEvent(++seq, NOW, "test", e.kind(), e.subject(), e.outcome(), json.writeValueAsString(e.details()), "", ""));
        }
        BudgetService budget = new BudgetService(ledger, Clock.fixed(NOW, ZoneOffset.UTC), 0.8);
        assertThat(budget.domain("le", false, "example.com").orElseThrow().usage().used()).isEqualTo(2);
        assertThat(budget.nameSet("le", false, List.of("example.com", "www.example.com")).orElseThrow().usage().used()).isEqualTo(1);
    }

    @Test
    void aBadTimeRejectsTheWholeFileNamingTheLine() {
        String csv = "www.example.com,le,2026-11-23T10:00:00Z\napi.example.com,le,yesterday\n";
        assertThatThrownBy(() -> IssuanceImport.fromCsv(new StringReader(csv), "certbot.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certbot.csv line 2").hasMessageContaining("2026-11-20T09:15:00Z");
    }
}

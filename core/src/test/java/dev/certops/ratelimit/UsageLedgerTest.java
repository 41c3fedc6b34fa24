package dev.certops.ratelimit;

import static dev.certops.ratelimit.LimitKind.CONSECUTIVE_AUTHZ_FAILURES;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_EXACT_SET;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN;
import static dev.certops.ratelimit.LimitKind.NEW_ORDERS_PER_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String ACCOUNT = "https://ca.example/acct/1";
    private final UsageLedger ledger = new UsageLedger(LimitTable.of("le", RateLimitPresets.LETSENCRYPT.buckets()));
    private final BudgetService budget = new BudgetService(ledger, Clock.fixed(NOW, ZoneOffset.UTC), 0.8);
    private final TestEvents ev = new TestEvents("le", ACCOUNT);

    private long used(LimitKind kind, String key) {
        return budget.bucket("le", false, kind, key).orElseThrow().usage().used();
    }

    private static String ariId(String serialHex) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(new byte[] {1, 2, 3}) + "." + b64.encodeToString(HexFormat.of().parseHex(serialHex));
    }

    @Test
    void anIssuanceCountsAgainstTheAccountTheRegisteredDomainAndTheExactSet() {
        ev.issue("web", NOW, List.of("www.example.com", "example.com"), "0a01").forEach(ledger::ingest);
        assertThat(used(NEW_ORDERS_PER_ACCOUNT, ACCOUNT)).isEqualTo(1);
        assertThat(used(NEW_CERTS_PER_REGISTERED_DOMAIN, "example.com")).isEqualTo(1);
        assertThat(used(NEW_CERTS_PER_EXACT_SET, "example.com,www.example.com")).isEqualTo(1);
    }

    @Test
    void aPlainRenewalOfTheSameSetSkipsOrdersAndDomainButCountsAgainstTheExactSet() {
        ev.issue("web", NOW.minusSeconds(3600), List.of("www.example.com"), "0a01").forEach(ledger::ingest);
        ev.issue("web", NOW.minusSeconds(60), List.of("WWW.example.com"), "0a02").forEach(ledger::ingest);
        assertThat(used(NEW_CERTS_PER_REGISTERED_DOMAIN, "example.com")).isEqualTo(1);
        assertThat(used(NEW_CERTS_PER_EXACT_SET, "www.example.com")).isEqualTo(2);
    }

    @Test
    void anAriRenewalOfANotYetReplacedCertificateIsExemptFromAllLimits() {
        ev.issue("web", NOW.minusSeconds(3600), List.of("www.example.com"), "0a01").forEach(ledger::ingest);
        ledger.ingest(ev.event(EventKinds.ACME_ORDER_CREATED, "web", NOW,
                Map.of("names", List.of("www.example.com", "api.example.com"), "replaces", ariId("0a01"))));
        ledger.ingest(ev.event(EventKinds.ACME_CERT_ISSUED, "web", NOW,
                Map.of("names", List.of("www.example.com", "api.example.com"), "serial", "0a02", "replaces", ariId("0a01"))));
        assertThat(used(NEW_ORDERS_PER_ACCOUNT, ACCOUNT)).isZero();   // the first order (an hour ago) has refilled
        assertThat(used(NEW_CERTS_PER_REGISTERED_DOMAIN, "example.com")).isEqualTo(1);
        assertThat(used(NEW_CERTS_PER_EXACT_SET, "api.example.com,www.example.com")).isZero();
    }

    @Test
    void aSecondAriReplacementOfTheSameCertificateIsNotExempt() {
        ev.issue("web", NOW.minusSeconds(3600), List.of("www.example.com"), "0a01").forEach(ledger::ingest);
        for (String serial : List.of("0a02", "0a03")) {
            ledger.ingest(ev.event(EventKinds.ACME_ORDER_CREATED, "web", NOW.minusSeconds(60),
                    Map.of("names", List.of("www.example.com", "new.example.com"), "replaces", ariId("0a01"))));
            ledger.ingest(ev.event(EventKinds.ACME_CERT_ISSUED, "web", NOW.minusSeconds(60),
                    Map.of("names", List.of("www.example.com", "new.example.com"), "serial", serial, "replaces", ariId("0a01"))));
        }
        assertThat(used(NEW_CERTS_PER_EXACT_SET, "new.example.com,www.example.com")).isEqualTo(1);
    }

    @Test
    void theCasRateLimitedAnswerEmptiesTheBucketUntilRetryAfterThenTheLocalCountResumes() {
        ev.issue("web", NOW.minusSeconds(60), List.of("www.example.com"), "0a01").forEach(ledger::ingest);
        Instant retryAfter = NOW.plusSeconds(7200);
        ledger.ingest(ev.rateLimited(NOW.minusSeconds(30), retryAfter,
                "too many certificates (50) already issued for \"example.com\" in the last 168h0m0s", List.of("api.example.com")));
        BucketUsage blocked = budget.domain("le", false, "api.example.com").orElseThrow();
        assertThat(blocked.usage().remaining()).isZero();
        assertThat(blocked.usage().nextTokenAt()).isEqualTo(retryAfter);
        assertThat(blocked.caSays()).hasValueSatisfying(r -> assertThat(r.detail()).contains("already issued"));

        BudgetService later = new BudgetService(ledger, Clock.fixed(retryAfter, ZoneOffset.UTC), 0.8);
        assertThat(later.domain("le", false, "api.example.com").orElseThrow().usage().remaining()).isEqualTo(49);
    }

    @Test
    void consecutiveAuthorizationFailuresStartAgainAfterASuccess() {
        ledger.ingest(ev.authzFailed("www.example.com", NOW.minusSeconds(300)));
        ledger.ingest(ev.authzFailed("www.example.com", NOW.minusSeconds(200)));
        String key = ACCOUNT + " www.example.com";
        assertThat(used(CONSECUTIVE_AUTHZ_FAILURES, key)).isEqualTo(2);
        ledger.ingest(ev.authzValid("www.example.com", NOW.minusSeconds(100)));
        assertThat(used(CONSECUTIVE_AUTHZ_FAILURES, key)).isZero();
        assertThat(used(LimitKind.AUTHZ_FAILURES_PER_IDENTIFIER, key)).isEqualTo(2);
    }

    @Test
    void eventsAlreadySeenAreNotCountedTwice() {
        List<?> events = ev.issue("web", NOW.minusSeconds(60), List.of("www.example.com"), "0a01");
        ev.issue("web", NOW.minusSeconds(60), List.of("www.example.com"), "0a01");   // advance seq, not ingested
        events.forEach(e -> ledger.ingest((dev.certops.history.HistoryEvent) e));
        events.forEach(e -> ledger.ingest((dev.certops.history.HistoryEvent) e));
        assertThat(used(NEW_CERTS_PER_EXACT_SET, "www.example.com")).isEqualTo(1);
        assertThat(ledger.lastSeq()).isEqualTo(2);
    }

    @Test
    void anImportedIssuanceFromAnotherToolCountsAtItsOwnTime() {
        ledger.ingest(ev.event(EventKinds.RATELIMIT_IMPORTED, "", NOW,
                Map.of("names", List.of("legacy.example.com"), "time", NOW.minusSeconds(3600).toString())));
        BucketUsage u = budget.domain("le", false, "legacy.example.com").orElseThrow();
        assertThat(u.usage().used()).isEqualTo(1);
        assertThat(u.usage().fullAt()).isEqualTo(NOW.minusSeconds(3600).plus(RateLimitPresets.LETSENCRYPT.buckets()
                .get(NEW_CERTS_PER_REGISTERED_DOMAIN).refill()));
    }

    @Test
    void anImportedCertificateCertopsIssuedItselfIsNotCountedTwice() {
        ev.issue("web", NOW.minusSeconds(60), List.of("www.example.com"), "0A01").forEach(ledger::ingest);
        ledger.ingest(ev.event(EventKinds.RATELIMIT_IMPORTED, "", NOW,
                Map.of("names", List.of("www.example.com"), "time", NOW.minusSeconds(60).toString(), "serial", "00:0a:01")));
        assertThat(used(NEW_CERTS_PER_REGISTERED_DOMAIN, "example.com")).isEqualTo(1);
    }
}

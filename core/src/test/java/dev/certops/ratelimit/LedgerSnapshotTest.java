package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger a command keeps for the next one: restored and caught up, it must count exactly what a replay of the
 * whole history counts, and it must never be used for another history or under other limits.
 */
class LedgerSnapshotTest {
    private static final Instant START = Instant.parse("2026-11-20T08:00:00Z");
    private static final String ACCOUNT = "https://ca.example/acct/1";
    private static final LimitTable LIMITS = LimitTable.of("le", RateLimitPresets.LETSENCRYPT.buckets());

    @TempDir Path dir;
    private final SettableClock clock = new SettableClock(START);
    private HistoryStore history;
    private Path file;
    private Instant at = START;

    @BeforeEach
    void open() throws HistoryException {
        history = SqliteHistoryStore.open(dir.resolve("history.db"), "tester@lab", clock);
        file = dir.resolve("ratelimit-ledger.json");
    }

    @AfterEach
    void close() throws HistoryException {
        history.close();
    }

    @Test
    void aRestoredLedgerReadsOnlyTheNewerEventsAndCountsWhatAFullReplayCounts() throws Exception {
        everyKindOfEvent(history, 40);
        UsageLedger first = new LedgerSnapshot(file).open(LIMITS, history);
        first.catchUp(history);
        new LedgerSnapshot(file).keep(first);
        assertThat(file).exists();

        // what happened after the snapshot: another issuance, a failed and a valid authorization, an order still pending
        record(history, EventKinds.ACME_ORDER_CREATED, "later", Map.of("names", List.of("later.example.com")));
        record(history, EventKinds.ACME_AUTHZ_FAILED, "", Map.of("identifier", "later.example.com"));
        record(history, EventKinds.ACME_AUTHZ_VALID, "", Map.of("identifier", "later.example.com"));
        record(history, EventKinds.ACME_CERT_ISSUED, "later", Map.of("names", List.of("later.example.com"), "serial", "0a0b0c"));
        record(history, EventKinds.ACME_ORDER_CREATED, "waiting", Map.of("names", List.of("waiting.example.net")));

        UsageLedger restored = new LedgerSnapshot(file).open(LIMITS, history);
        assertThat(restored.lastSeq()).as("starts where the snapshot stops, without replaying").isEqualTo(first.lastSeq());
        assertThat(restored.counted()).isEqualTo(first.counted());
        restored.catchUp(history);
        assertThat(restored.counted()).as("five events read, not the whole history").isEqualTo(first.counted() + 5);

        UsageLedger replayed = new UsageLedger(LIMITS);
        replayed.catchUp(history);
        assertThat(restored.toPlain()).isEqualTo(replayed.toPlain());
        Clock now = Clock.fixed(at, ZoneOffset.UTC);
        BudgetService fromSnapshot = new BudgetService(restored, now, BudgetService.DEFAULT_SAFETY_LINE);
        BudgetService fromHistory = new BudgetService(replayed, now, BudgetService.DEFAULT_SAFETY_LINE);
        assertThat(fromSnapshot.domain("le", false, "example.com")).isEqualTo(fromHistory.domain("le", false, "example.com"));
        assertThat(fromSnapshot.domain("le", false, "example.com").orElseThrow().usage().used()).isGreaterThan(0);
        assertThat(restored.refusals("le", at.toEpochMilli())).isEqualTo(replayed.refusals("le", at.toEpochMilli())).isNotEmpty();
    }

    @Test
    void everyPartOfTheStateSurvivesTheFile() throws Exception {
        everyKindOfEvent(history, 40);
        UsageLedger ledger = new UsageLedger(LIMITS);
        ledger.catchUp(history);
        Map<String, Object> state = ledger.toPlain();
        @SuppressWarnings("unchecked")
        Map<String, Object> scope = (Map<String, Object>) ((Map<String, Object>) state.get("scopes")).get("le");
        for (String part : List.of("tats", "issuedSets", "serialToSet", "replaced", "pendingOrders", "refusals")) {
            assertThat(scope.get(part)).as(part).asString().isNotIn("{}", "[]");
        }
        new LedgerSnapshot(file).keep(ledger);
        assertThat(new LedgerSnapshot(file).open(LIMITS, history).toPlain()).isEqualTo(state);
    }

    @Test
    void otherLimitsMeanCountingFromHistoryAgain() throws Exception {
        keptAfterEveryKindOfEvent();

        LimitTable raised = LimitTable.of("le", Map.of(LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN, new Bucket(500, Duration.ofMinutes(20))));
        assertThat(new LedgerSnapshot(file).open(raised, history).lastSeq()).isZero();
    }

    @Test
    void aSnapshotOfAnotherHistoryIsNotUsed() throws Exception {
        keptAfterEveryKindOfEvent();

        // another workspace's history with as many events: the same seqs, other events, other chain hashes
        try (HistoryStore other = SqliteHistoryStore.open(dir.resolve("other.db"), "someone@else", clock)) {
            everyKindOfEvent(other, 40);
            record(other, EventKinds.ACME_ORDER_CREATED, "extra", Map.of("names", List.of("extra.example.org")));
            assertThat(new LedgerSnapshot(file).open(LIMITS, other).lastSeq()).isZero();
        }
        // and a history that no longer reaches the event the snapshot stops at (an older backup put back)
        try (HistoryStore shorter = SqliteHistoryStore.open(dir.resolve("shorter.db"), "tester@lab", clock)) {
            record(shorter, EventKinds.ACME_ORDER_CREATED, "one", Map.of("names", List.of("one.example.com")));
            assertThat(new LedgerSnapshot(file).open(LIMITS, shorter).lastSeq()).isZero();
        }
    }

    @Test
    void anUnreadableFileIsIgnoredAndReplacedByTheNextKeep() throws Exception {
        everyKindOfEvent(history, 40);
        for (String broken : List.of("", "{\"format\":1", "[1,2]", "{\"format\":1,\"limits\":\"" + LIMITS.canonical().replace("\"", "")
                + "\",\"ledger\":{\"lastSeq\":\"seven\"}}", "{\"format\":99}")) {
            Files.writeString(file, broken);
            UsageLedger ledger = new LedgerSnapshot(file).open(LIMITS, history);
            assertThat(ledger.lastSeq()).as(broken).isZero();
        }
        LedgerSnapshot snapshot = new LedgerSnapshot(file);
        UsageLedger ledger = snapshot.open(LIMITS, history);
        ledger.catchUp(history);
        snapshot.keep(ledger);
        assertThat(new LedgerSnapshot(file).open(LIMITS, history).lastSeq()).isEqualTo(ledger.lastSeq());
    }

    @Test
    void aFewEventsAreNotWorthAFileAndAFewMoreDoNotRewriteIt() throws Exception {
        for (int i = 0; i < 10; i++) issue(history, "c" + i, List.of("c" + i + ".example.com"), "1" + i);
        LedgerSnapshot snapshot = new LedgerSnapshot(file);
        UsageLedger ledger = snapshot.open(LIMITS, history);
        ledger.catchUp(history);
        snapshot.keep(ledger);
        assertThat(file).doesNotExist();

        for (int i = 10; i < 40; i++) issue(history, "c" + i, List.of("c" + i + ".example.com"), "1" + i);
        ledger.catchUp(history);
        snapshot.keep(ledger);
        assertThat(file).exists();
        String written = Files.readString(file);

        issue(history, "c40", List.of("c40.example.com"), "140");
        ledger.catchUp(history);
        snapshot.keep(ledger);
        assertThat(Files.readString(file)).as("two events more: the file stays as it was").isEqualTo(written);
    }

    /** A full replay of {@link #everyKindOfEvent}, kept in the file. */
    private void keptAfterEveryKindOfEvent() throws HistoryException {
        everyKindOfEvent(history, 40);
        UsageLedger ledger = new UsageLedger(LIMITS);
        ledger.catchUp(history);
        new LedgerSnapshot(file).keep(ledger);
        assertThat(file).exists();
    }

    /** Issuances (a third of them ARI replacements of an earlier one), failed and valid authorizations, a new account,
     *  a rateLimited answer and an order that is still pending: every part of the ledger's state gets something. */
    private void everyKindOfEvent(HistoryStore store, int issuances) throws HistoryException {
        record(store, EventKinds.ACME_ACCOUNT_CREATED, "", Map.of());
        for (int i = 0; i < issuances; i++) {
            String serial = Integer.toHexString(0x1000 + i);
            if (i % 3 == 2) {
                String replaces = "aki." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {0x10, (byte) (i - 2)});
                issueReplacing(store, "site" + (i - 2), List.of("site" + (i - 2) + ".example.com"), serial, Optional.of(replaces));
            } else {
                issue(store, "site" + i, List.of("site" + i + ".example.com"), serial);
            }
            if (i % 5 == 0) record(store, EventKinds.ACME_AUTHZ_FAILED, "", Map.of("identifier", "site" + i + ".example.com"));
        }
        record(store, EventKinds.ACME_AUTHZ_VALID, "", Map.of("identifier", "site0.example.com"));
        record(store, EventKinds.ACME_RATE_LIMITED, "", Map.of("retryAfter", at.plus(Duration.ofHours(3)).toString(),
                "detail", "too many certificates (50) already issued for \"example.com\" in the last 168h0m0s",
                "names", List.of("site1.example.com")));
        record(store, EventKinds.ACME_ORDER_CREATED, "pending", Map.of("names", List.of("pending.example.com")));
    }

    private void issue(HistoryStore store, String id, List<String> names, String serial) throws HistoryException {
        issueReplacing(store, id, names, serial, Optional.empty());
    }

    private void issueReplacing(HistoryStore store, String id, List<String> names, String serial, Optional<String> replaces)
            throws HistoryException {
        Map<String, Object> order = new LinkedHashMap<>(Map.of("names", names));
        replaces.ifPresent(r -> order.put("replaces", r));
        record(store, EventKinds.ACME_ORDER_CREATED, id, order);
        Map<String, Object> issued = new LinkedHashMap<>(order);
        issued.put("serial", serial);
        record(store, EventKinds.ACME_CERT_ISSUED, id, issued);
    }

    /** One event as the ACME side records it, a minute after the previous one. */
    private void record(HistoryStore store, String kind, String subject, Map<String, Object> extra) throws HistoryException {
        at = at.plus(Duration.ofMinutes(1));
        clock.set(at);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ca", "le");
        details.put("staging", false);
        details.put("account", ACCOUNT);
        details.putAll(extra);
        store.append(new NewEvent(kind, subject, "ok", details));
    }
}

package dev.certops.history;

import dev.certops.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link HistoryStore} contract: every implementation (SQLite, PostgreSQL) passes the same tests.
 * Subclasses say how to open a store on a fresh, empty database, and a second store on the same one.
 */
abstract class HistoryStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final SettableClock clock = new SettableClock(T0);
    HistoryStore store;

    /** Opens a store on a fresh, empty database. */
    abstract HistoryStore openFresh(String actor, Clock clock) throws Exception;

    /** Opens another store on the database of the last {@link #openFresh}. */
    abstract HistoryStore openSame(String actor, Clock clock) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openFresh("alice@laptop", clock);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void appendedEventIsStoredWithSeqTimeActorAndCanonicalDetails() throws Exception {
        HistoryEvent e = store.append(new NewEvent(EventKinds.SCAN_FINISHED, "", "ok", Map.of("b", 2, "a", List.of("x", "y"))));

        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.time()).isEqualTo(T0);
        assertThat(e.actor()).isEqualTo("alice@laptop");
        assertThat(e.details()).isEqualTo("{\"a\":[\"x\",\"y\"],\"b\":2}");
        assertThat(e.prevHash()).isEmpty();
        assertThat(store.query(EventQuery.all())).containsExactly(e);
    }

    @Test
    void hashFollowsTheDocumentedFormatSoAnAuditorCanRecomputeIt() throws Exception {
        HistoryEvent first = store.append(new NewEvent("scan.finished", "", "ok", Map.of()));
        HistoryEvent second = store.append(new NewEvent("deploy.step", "www", "failed", Map.of("host", "web1")));

        assertThat(first.hash()).isEqualTo(sha256Hex("\n1\n" + T0.toEpochMilli() + "\nalice@laptop\nscan.finished\n\nok\n{}"));
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.hash()).isEqualTo(sha256Hex(first.hash() + "\n2\n" + T0.toEpochMilli()
                + "\nalice@laptop\ndeploy.step\nwww\nfailed\n{\"host\":\"web1\"}"));
    }

    @Test
    void queryByKindPrefixMatchesOnlyThatFamily() throws Exception {
        store.append(NewEvent.of(EventKinds.ACME_ORDER_CREATED, "www", "ok"));
        store.append(NewEvent.of(EventKinds.SCAN_FINISHED, "", "ok"));
        store.append(NewEvent.of(EventKinds.ACME_CERT_ISSUED, "www", "ok"));
        store.append(NewEvent.of("acmex.other", "www", "ok"));

        assertThat(store.query(EventQuery.all().kind("acme.")))
                .extracting(HistoryEvent::kind).containsExactly(EventKinds.ACME_ORDER_CREATED, EventKinds.ACME_CERT_ISSUED);
    }

    @Test
    void latestPerSubjectIsTheNewestEventOfExactlyThatKindForEachSubjectInChainOrder() throws Exception {
        store.append(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, "www", "ok", Map.of("to", "ok")));
        store.append(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, "api", "warning", Map.of("to", "warning")));
        HistoryEvent wwwNow = store.append(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, "www", "expired", Map.of("to", "expired")));
        store.append(NewEvent.of(EventKinds.SCAN_FINISHED, "www", "critical"));
        store.append(NewEvent.of(EventKinds.SCAN_STATUS_CHANGED + "x", "api", "ok"));
        HistoryEvent apiNow = store.append(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, "api", "ok", Map.of("to", "ok")));
        store.append(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, "", "ok", Map.of("to", "ok")));
        store.append(NewEvent.of(EventKinds.SCAN_FINISHED, "", "ok"));

        List<HistoryEvent> latest = new ArrayList<>();
        store.forEachLatestPerSubject(EventKinds.SCAN_STATUS_CHANGED, latest::add);

        assertThat(latest).extracting(HistoryEvent::subject).containsExactly("www", "api", "");
        assertThat(latest.subList(0, 2)).containsExactly(wwwNow, apiNow);
        List<HistoryEvent> none = new ArrayList<>();
        store.forEachLatestPerSubject(EventKinds.DEPLOY_STEP, none::add);
        assertThat(none).isEmpty();
    }

    @Test
    void queryByKindsReturnsOnlyThoseKindsInChainOrderAfterTheGivenSeq() throws Exception {
        HistoryEvent firstOrder = store.append(NewEvent.of(EventKinds.ACME_ORDER_CREATED, "www", "ok"));
        store.append(NewEvent.of(EventKinds.ACME_INTENT, "www", "intent"));
        store.append(NewEvent.of(EventKinds.ACME_CERT_ISSUED, "www", "ok"));
        store.append(NewEvent.of(EventKinds.SCAN_FINISHED, "", "ok"));
        store.append(NewEvent.of(EventKinds.ACME_ORDER_CREATED, "api", "ok"));
        Set<String> kinds = Set.of(EventKinds.ACME_ORDER_CREATED, EventKinds.ACME_CERT_ISSUED);

        assertThat(store.query(EventQuery.all().kinds(kinds)))
                .extracting(HistoryEvent::kind, HistoryEvent::subject)
                .containsExactly(tuple(EventKinds.ACME_ORDER_CREATED, "www"), tuple(EventKinds.ACME_CERT_ISSUED, "www"),
                        tuple(EventKinds.ACME_ORDER_CREATED, "api"));
        assertThat(store.query(EventQuery.all().kinds(kinds).afterSeq(firstOrder.seq()).subject("www")))
                .extracting(HistoryEvent::kind).containsExactly(EventKinds.ACME_CERT_ISSUED);
    }

    @Test
    void queryBySubjectMatchesExactly() throws Exception {
        store.append(NewEvent.of(EventKinds.DEPLOY_STEP, "www", "ok"));
        store.append(NewEvent.of(EventKinds.DEPLOY_STEP, "api", "ok"));
        store.append(NewEvent.of(EventKinds.DEPLOY_STEP, "www2", "ok"));

        assertThat(store.query(EventQuery.all().subject("www"))).extracting(HistoryEvent::seq).containsExactly(1L);
    }

    @Test
    void queryBySinceIsInclusiveAndUntilExclusive() throws Exception {
        for (int day = 0; day < 4; day++) {
            clock.set(T0.plusSeconds(86_400L * day));
            store.append(NewEvent.of(EventKinds.SCAN_FINISHED, "", "ok"));
        }

        assertThat(store.query(EventQuery.all().since(T0.plusSeconds(86_400)).until(T0.plusSeconds(3 * 86_400))))
                .extracting(HistoryEvent::seq).containsExactly(2L, 3L);
    }

    @Test
    void queryAfterSeqWithLimitPagesThroughTheChain() throws Exception {
        for (int i = 0; i < 10; i++) {
            store.append(NewEvent.of(EventKinds.RUNBOOK_STEP, "run-1", "ok"));
        }

        assertThat(store.query(EventQuery.all().afterSeq(4).limit(3))).extracting(HistoryEvent::seq)
                .containsExactly(5L, 6L, 7L);
    }

    @Test
    void headAndCountDescribeTheNewestEvent() throws Exception {
        assertThat(store.head()).isEmpty();
        store.appendAll(List.of(NewEvent.of("a.b", "", "ok"), NewEvent.of("c.d", "", "ok")));

        assertThat(store.count()).isEqualTo(2);
        assertThat(store.head()).get().extracting(HistoryEvent::seq, HistoryEvent::kind).containsExactly(2L, "c.d");
    }

    @Test
    void appendAllChainsTheBatchInOrder() throws Exception {
        List<HistoryEvent> stored = store.appendAll(List.of(NewEvent.of("a.one", "", "ok"), NewEvent.of("a.two", "", "ok")));

        assertThat(stored).extracting(HistoryEvent::seq).containsExactly(1L, 2L);
        assertThat(stored.get(1).prevHash()).isEqualTo(stored.get(0).hash());
        assertThat(store.verify()).isEqualTo(AuditResult.valid(2));
    }

    @Test
    void appendAllRecordsNothingWhenOneEventCarriesASecret() throws Exception {
        assertThatThrownBy(() -> store.appendAll(List.of(NewEvent.of("x", "a", "ok"),
                new NewEvent("x", "b", "ok", Map.of("password", "hunter2")))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.count()).isZero();
    }

    @Test
    void multiLineKindIsRefusedBecauseItWouldBlurTheHashedLayout() {
        assertThatThrownBy(() -> store.append(NewEvent.of("scan\nfinished", "", "ok")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single line");
    }

    @Test
    void concurrentAppendsFromFourThreadsKeepTheChainValid() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String subject = "thread-" + t;
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 100; i++) {
                        if (i % 10 == 0) {
                            store.appendAll(List.of(NewEvent.of("t.batch", subject, "ok"), NewEvent.of("t.batch", subject, "ok")));
                        } else {
                            store.append(NewEvent.of("t.single", subject, "ok"));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.count()).isEqualTo(4 * 110);
        assertThat(store.verify()).isEqualTo(AuditResult.valid(440));
    }

    @Test
    void twoStoresOnOneFileKeepOneValidChain() throws Exception {
        try (HistoryStore other = openSame("bob@desktop", clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = pool.submit((Callable<Void>) () -> { appendMany(store, 100); return null; });
                Future<?> b = pool.submit((Callable<Void>) () -> { appendMany(other, 100); return null; });
                a.get();
                b.get();
            } finally {
                pool.shutdownNow();
            }
            assertThat(other.verify()).isEqualTo(AuditResult.valid(200));
        }
        assertThat(store.query(EventQuery.all())).extracting(HistoryEvent::actor).contains("alice@laptop", "bob@desktop");
    }

    @Test
    void healthSaysReachableWithTheHeadSeq() throws Exception {
        store.append(NewEvent.of("a.b", "", "ok"));

        assertThat(store.health().reachable()).isTrue();
        assertThat(store.health().headSeq()).isEqualTo(1);
    }

    @Test
    void closedStoreSaysItWasClosed() throws Exception {
        store.close();

        assertThatThrownBy(() -> store.count()).isInstanceOf(HistoryException.class).hasMessageContaining("was closed");
    }

    private static void appendMany(HistoryStore s, int n) throws HistoryException {
        for (int i = 0; i < n; i++) {
            s.append(NewEvent.of("two.stores", "", "ok"));
        }
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}

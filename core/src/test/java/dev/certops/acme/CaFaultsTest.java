package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both CAs behind fault-injecting proxies that keep the whole issuance going through them: 503s and
 * 429s where a real CA sends them (any request, or the new-order endpoint). Backoff and Retry-After
 * waits go through {@link TestTime}: recorded, never waited.
 */
class CaFaultsTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    static FaultProxy primaryProxy;
    static FaultProxy secondaryProxy;
    private static final String NEW_ORDER = "/order-plz";
    private static final String CERTS = "- { id: multi, names: [a.example.test, b.example.test], challenge: { type: dns-01, dns: lab } }";
    private final TestTime time = new TestTime();

    @BeforeAll
    static void start() throws Exception {
        lab = new AcmeLab(labDir);
        primaryProxy = new FaultProxy(lab.primary, lab.primary.tls().certPem(), lab.primary.tls().keyPem());
        secondaryProxy = new FaultProxy(lab.secondary, lab.secondary.tls().certPem(), lab.secondary.tls().keyPem());
    }

    @AfterAll
    static void stop() {
        primaryProxy.close();
        secondaryProxy.close();
        lab.close();
    }

    @AfterEach
    void noMoreFaults() {
        primaryProxy.inject(FaultProxy.Fault.NONE, 0, 0);
        primaryProxy.serverClockOffset(Duration.ZERO);
    }

    private CompositionRoot session() throws Exception {
        return lab.workspace(dir.resolve("ws"), CERTS, primaryProxy.directoryUrl(), secondaryProxy.directoryUrl(), time);
    }

    private IssuanceService service(CompositionRoot s, Duration deadline) throws Exception {
        return s.operations().issuance(FailoverPolicy.defaults().withDeadline(deadline)).sleepingWith(time).withoutBudget();
    }

    private static long directoryReads(FaultProxy proxy) {
        return proxy.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/dir")).count();
    }

    private static List<HistoryEvent> events(CompositionRoot s, String kind) throws Exception {
        return s.history().query(EventQuery.all().kind(kind));
    }

    @Test
    void aPrimaryAnswering503IsRetriedWithGrowingBackoffThenFailedOver() throws Exception {
        primaryProxy.inject(FaultProxy.Fault.UNAVAILABLE_503, 1000, 0);
        try (CompositionRoot s = session()) {
            long directoryReads = directoryReads(primaryProxy);
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            // the first attempt's session is opened beside the budget check: its failure is the attempt's, never met twice
            assertThat(directoryReads(primaryProxy) - directoryReads).as("directory requests to the failing primary, three attempts").isEqualTo(3);
            assertThat(time.waits()).hasSize(2);
            assertThat(time.waits().get(0)).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
            assertThat(time.waits().get(1)).as("backoff doubles, with jitter").isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3));
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("retry", "retry", "failover");
            assertThat(events(s, EventKinds.ACME_FAILOVER)).singleElement().satisfies(e -> assertThat(e.details()).contains("server error"));
        }
    }

    @Test
    void theSessionACommandOpensAheadIsTheOneItsFirstAttemptUses() throws Exception {
        try (CompositionRoot s = session()) {
            long directoryReads = directoryReads(primaryProxy);
            long secondaryReads = directoryReads(secondaryProxy);
            FailoverPolicy policy = FailoverPolicy.defaults().withDeadline(Duration.ofMinutes(10));
            var plan = s.operations().planIssue(IssueRequest.of("multi"), policy, false);
            s.operations().openSessionsAhead(List.of(plan)); // as `issue` does, before its lease and budget check
            var v = s.operations().issuance(policy).sleepingWith(time).withoutBudget()
                    .issue(plan.certificate(), plan.cas(), plan.request(), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(directoryReads(primaryProxy) - directoryReads).as("the directory is read once: by the session opened ahead").isEqualTo(1);
            assertThat(directoryReads(secondaryProxy) - secondaryReads).as("only the first CA's session is opened ahead").isZero();
        }
    }

    @Test
    void aPrimaryDownWhenItsSessionIsOpenedAheadIsStillAskedOncePerAttempt() throws Exception {
        primaryProxy.inject(FaultProxy.Fault.UNAVAILABLE_503, 1000, 0);
        try (CompositionRoot s = session()) {
            long directoryReads = directoryReads(primaryProxy);
            FailoverPolicy policy = FailoverPolicy.defaults().withDeadline(Duration.ofMinutes(10));
            var plan = s.operations().planIssue(IssueRequest.of("multi"), policy, false);
            s.operations().openSessionsAhead(List.of(plan));
            var v = s.operations().issuance(policy).sleepingWith(time).withoutBudget()
                    .issue(plan.certificate(), plan.cas(), plan.request(), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            // the first attempt takes the failure the session ahead met; the two retries open their own
            assertThat(directoryReads(primaryProxy) - directoryReads).as("directory requests to the failing primary, three attempts").isEqualTo(3);
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("retry", "retry", "failover");
        }
    }

    @Test
    void aNewOrderAnswered503OnceIsRetriedAtTheSameCa() throws Exception {
        primaryProxy.inject(FaultProxy.Fault.UNAVAILABLE_503, 1, 0, NEW_ORDER);
        try (CompositionRoot s = session()) {
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(primaryProxy.faultsServed()).isPositive();
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("retry");
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).hasSize(1);
        }
    }

    @Test
    void theOrderIsFinalizedRightAfterItsAuthorizationsWithoutAskingForItFirst() throws Exception {
        try (CompositionRoot s = session()) {
            int before = primaryProxy.requests().size();
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            List<String> paths = primaryProxy.requests().subList(before, primaryProxy.requests().size()).stream()
                    .map(FaultProxy.Request::path).toList();
            int finalize = indexOfPrefix(paths, "/finalize-order/");
            assertThat(finalize).as("finalized").isPositive();
            assertThat(paths.get(finalize - 1)).as("what came just before the finalize: the last authorization, not the order").startsWith("/authZ/");
        }
    }

    @Test
    void aCaWhoseOrderIsNotReadyYetAtFinalizeIsWatchedUntilItIsThenFinalized() throws Exception {
        primaryProxy.refuse(r -> r.path().startsWith("/finalize-order/"), 1, 403, "urn:ietf:params:acme:error:orderNotReady",
                "Order is not ready for finalization: its status is pending");
        try (CompositionRoot s = session()) {
            int before = primaryProxy.requests().size();
            List<String> lines = new java.util.ArrayList<>();
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), (ca, stage, msg) -> lines.add(msg));
            assertThat(v.ca()).isEqualTo("primary");
            List<String> paths = primaryProxy.requests().subList(before, primaryProxy.requests().size()).stream()
                    .map(FaultProxy.Request::path).toList();
            int first = indexOfPrefix(paths, "/finalize-order/");
            int second = indexOfPrefix(paths.subList(first + 1, paths.size()), "/finalize-order/") + first + 1;
            assertThat(second).as("finalized again").isGreaterThan(first);
            assertThat(paths.subList(first + 1, second)).as("the order looked at in between").anySatisfy(x -> assertThat(x).startsWith("/my-order/"));
            assertThat(lines.stream().filter(l -> l.startsWith("finalizing with"))).as("said once").hasSize(1);
            assertThat(events(s, EventKinds.ACME_INTENT).stream().filter(e -> e.details().contains("\"finalize\""))).as("one write-ahead intent").hasSize(1);
            assertThat(events(s, EventKinds.ACME_CERT_ISSUED)).hasSize(1);
        }
    }

    private static int indexOfPrefix(List<String> paths, String prefix) {
        for (int i = 0; i < paths.size(); i++) if (paths.get(i).startsWith(prefix)) return i;
        return -1;
    }

    @Test
    void aNewOrderRateLimitedWithAShortRetryAfterIsWaitedOutAtTheSameCa() throws Exception {
        primaryProxy.inject(FaultProxy.Fault.RATE_LIMITED_429, 1, 2, NEW_ORDER);
        try (CompositionRoot s = session()) {
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(time.waits()).singleElement().satisfies(w -> assertThat(w).isBetween(Duration.ZERO, Duration.ofSeconds(2)));
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("wait");
            assertThat(events(s, EventKinds.ACME_RATE_LIMITED)).singleElement()
                    .satisfies(e -> assertThat(e.details()).contains("retryAfter", "too many new orders recently", "https://ca.example/docs/rate-limits"));
        }
    }

    @Test
    void aRetryAfterIsMeasuredFromTheCasDateHeaderNotTheLocalClock() throws Exception {
        // the CA's clock is an hour behind ours: "3602 seconds" from its Date ends 2 s from now, not in an hour
        primaryProxy.serverClockOffset(Duration.ofHours(-1));
        primaryProxy.inject(FaultProxy.Fault.RATE_LIMITED_429, 1, 3602, NEW_ORDER);
        try (CompositionRoot s = session()) {
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(time.waits()).singleElement().satisfies(w -> assertThat(w).isLessThan(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aNewOrderRateLimitedPastTheDeadlineMovesToTheNextCaAtOnceAndIsRemembered() throws Exception {
        primaryProxy.inject(FaultProxy.Fault.RATE_LIMITED_429, 1000, 3600, NEW_ORDER);
        try (CompositionRoot s = session()) {
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(time.waits()).as("no Retry-After wait").isEmpty();
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("failover");
            int newOrdersAtPrimary = newOrders(primaryProxy);
            var again = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(again.ca()).isEqualTo("secondary");
            assertThat(newOrders(primaryProxy)).as("a later run (or a restart) does not ask the primary again before its Retry-After")
                    .isEqualTo(newOrdersAtPrimary);
        }
    }

    @Test
    void replacesIsSentToTheCaThatIssuedTheCertificateAndNeverAfterFailingOver() throws Exception {
        primaryProxy.addToDirectory("renewalInfo", primaryProxy.base() + "/renewal-info");
        secondaryProxy.addToDirectory("renewalInfo", secondaryProxy.base() + "/renewal-info");
        try (CompositionRoot s = session()) {
            int before = newOrders(primaryProxy);
            service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi").replacing(new IssueRequest.Replaces("aaaa.bbbb", "primary")),
                    IssuanceListener.NONE);
            assertThat(lastNewOrderPayload(primaryProxy, before)).contains("\"replaces\":\"aaaa.bbbb\"");

            primaryProxy.inject(FaultProxy.Fault.UNAVAILABLE_503, 1000, 0);
            int beforeSecondary = newOrders(secondaryProxy);
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi").replacing(new IssueRequest.Replaces("cccc.dddd", "primary")),
                    IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(lastNewOrderPayload(secondaryProxy, beforeSecondary)).doesNotContain("replaces");
        }
    }

    @Test
    void anOutageWhileReattachingToAnInterruptedOrderIsRetriedWithoutASecondOrder() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceListener crash = (ca, stage, msg) -> {
                if (stage == IssuanceListener.Stage.CHALLENGE) throw new IllegalStateException("console killed");
            };
            assertThatThrownBy(() -> service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), crash)).hasMessageContaining("console killed");
            int faultsBefore = primaryProxy.faultsServed();
            primaryProxy.inject(FaultProxy.Fault.UNAVAILABLE_503, 1, 0, "/my-order/");
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("primary");
            assertThat(primaryProxy.faultsServed()).as("the order URL answered 503 once").isEqualTo(faultsBefore + 1);
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("retry");
            assertThat(events(s, EventKinds.ACME_ORDER_CREATED)).hasSize(1);
            assertThat(events(s, EventKinds.ACME_ORDER_REATTACHED)).hasSize(1);
        }
    }

    @Test
    void anAccountAndAnOrderTheCaNoLongerHasAreNamedThenRegisteredAndOrderedAgainWithNothingLost() throws Exception {
        try (CompositionRoot s = session()) {
            IssuanceListener crash = (ca, stage, msg) -> {
                if (stage == IssuanceListener.Stage.CHALLENGE) throw new IllegalStateException("console killed");
            };
            assertThatThrownBy(() -> service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), crash)).hasMessageContaining("console killed");
            lab.primary.stop();
            lab.primary.start(); // Pebble keeps nothing: the account and the pending order are gone (the CA answers 400/404 for them)
            List<String> lines = new java.util.ArrayList<>();

            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), (ca, stage, msg) -> lines.add(msg));

            assertThat(v.ca()).isEqualTo("primary");
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("the CA no longer knows account", "registering again"));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("the order created before (", "cannot be continued: the CA answered",
                    "placing a new order (nothing issued was lost)"));
            assertThat(lines).noneSatisfy(l -> assertThat(l).contains("is not an ACME directory"));
            assertThat(events(s, EventKinds.ACME_CERT_ISSUED)).hasSize(1);
            assertThat(s.history().verify().ok()).isTrue();
        }
    }

    private static int newOrders(FaultProxy p) {
        return (int) p.requests().stream().filter(r -> r.path().equals(NEW_ORDER)).count();
    }

    /** The decoded JWS payload of the newest new-order request after the first {@code skip}. */
    private static String lastNewOrderPayload(FaultProxy p, int skip) throws Exception {
        var orders = p.requests().stream().filter(r -> r.path().equals(NEW_ORDER)).skip(skip).toList();
        assertThat(orders).as("a new order went through the proxy").isNotEmpty();
        var jws = new com.fasterxml.jackson.databind.ObjectMapper().readTree(orders.get(orders.size() - 1).bodyText());
        return new String(java.util.Base64.getUrlDecoder().decode(jws.path("payload").asText()), java.nio.charset.StandardCharsets.UTF_8)
                .replace(" ", "");
    }

    @Test
    void aPrimaryWhoseTrustFileIsNotPemIsAConfigurationProblemNeverRetriedAsAnOutage() throws Exception {
        Path notPem = dir.resolve("not-a-cert.pem");
        java.nio.file.Files.writeString(notPem, "hello");
        try (CompositionRoot first = session()) {
            java.nio.file.Files.writeString(first.workspace().configFile(), java.nio.file.Files.readString(first.workspace().configFile())
                    .replaceFirst("trust: [^\\n]*", "trust: " + notPem));
        }
        try (CompositionRoot s = new CompositionRoot(new dev.certops.config.Workspace(dir.resolve("ws")), java.util.Map.of("USER", "tester"), time)) {
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(time.waits()).as("not retried with backoff").isEmpty();
            assertThat(events(s, EventKinds.ACME_FAILOVER)).singleElement().satisfies(e -> assertThat(e.details())
                    .contains("trust: " + notPem + " cannot be used").doesNotContain("unreachable"));
        }
    }
}

package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.session.Session;
import dev.certops.testing.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The primary CA behind a fault-injecting proxy: 503s and 429s as a real CA sends them. */
class CaFaultsTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    static FaultProxy proxy;
    private static final String CERTS = "- { id: multi, names: [a.example.test, b.example.test], challenge: { type: dns-01, dns: lab } }";

    @BeforeAll
    static void start() throws Exception {
        lab = new AcmeLab(labDir);
        proxy = new FaultProxy(lab.primary, lab.primary.tls().certPem(), lab.primary.tls().keyPem());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        lab.close();
    }

    private List<Duration> waits = new ArrayList<>();

    private IssuanceService service(Session s, Duration deadline) {
        return new IssuanceService(s, FailoverPolicy.defaults().withDeadline(deadline), d -> waits.add(d), Optional::empty);
    }

    /** Records the waits and really waits (a Retry-After must have passed before the CA is asked again). */
    private IssuanceService waitingService(Session s, Duration deadline) {
        return new IssuanceService(s, FailoverPolicy.defaults().withDeadline(deadline), d -> {
            waits.add(d);
            Thread.sleep(d.toMillis());
        }, Optional::empty);
    }

    private static List<HistoryEvent> events(Session s, String kind) throws Exception {
        return s.history().query(EventQuery.all().kind(kind));
    }

    @Test
    void aPrimaryAnswering503IsRetriedWithBackoffThenFailedOver() throws Exception {
        proxy.inject(FaultProxy.Fault.UNAVAILABLE_503, 1000, 0);
        try (Session s = lab.workspace(dir.resolve("ws"), CERTS, proxy.directoryUrl())) {
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            List<Duration> backoffs = waits.stream().filter(w -> w.toMillis() >= 900).toList(); // the rest are short polls
            assertThat(backoffs).hasSize(2);
            assertThat(backoffs.get(0)).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
            assertThat(backoffs.get(1)).as("backoff doubles").isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3));
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("retry", "retry", "failover");
            assertThat(events(s, EventKinds.ACME_FAILOVER)).singleElement().satisfies(e -> assertThat(e.details()).contains("server error"));
        } finally {
            proxy.inject(FaultProxy.Fault.NONE, 0, 0);
        }
    }

    @Test
    void a429WithAShortRetryAfterIsWaitedOutAtTheSameCa() throws Exception {
        try (Session s = lab.workspace(dir.resolve("ws"), CERTS, proxy.directoryUrl())) {
            proxy.inject(FaultProxy.Fault.RATE_LIMITED_429, 1, 2);
            var v = waitingService(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).as(events(s, EventKinds.ACME_ATTEMPT).toString()).isEqualTo("primary");
            assertThat(waits.get(0)).as("the Retry-After wait comes first; later entries are short polls").isBetween(Duration.ZERO, Duration.ofSeconds(3));
            assertThat(events(s, EventKinds.ACME_RATE_LIMITED)).singleElement().satisfies(e -> assertThat(e.details()).contains("retryAfter"));
        } finally {
            proxy.inject(FaultProxy.Fault.NONE, 0, 0);
        }
    }

    @Test
    void a429WhoseRetryAfterEndsPastTheDeadlineMovesToTheNextCaAtOnce() throws Exception {
        try (Session s = lab.workspace(dir.resolve("ws"), CERTS, proxy.directoryUrl())) {
            proxy.inject(FaultProxy.Fault.RATE_LIMITED_429, 1000, 3600);
            var v = service(s, Duration.ofMinutes(10)).issue(IssueRequest.of("multi"), IssuanceListener.NONE);
            assertThat(v.ca()).isEqualTo("secondary");
            assertThat(waits).allMatch(w -> w.toMillis() < 900, "no Retry-After wait, only short polls");
            assertThat(events(s, EventKinds.ACME_ATTEMPT)).extracting(HistoryEvent::outcome).containsExactly("failover");
        } finally {
            proxy.inject(FaultProxy.Fault.NONE, 0, 0);
        }
    }
}

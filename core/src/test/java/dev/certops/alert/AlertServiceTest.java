package dev.certops.alert;

import static dev.certops.alert.AlertWorld.expiry;
import static dev.certops.alert.AlertWorld.renewalFailed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.testing.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of {@link AlertService}, against a real local webhook receiver and a real history. */
class AlertServiceTest {
    private static final AlertScope RENEW = AlertScope.of(EnumSet.allOf(ConditionKind.class));

    @TempDir Path dir;
    private AlertWorld world;
    private AlertReceiver receiver;
    private AlertService alerts;

    @BeforeEach
    void webhookChannel() throws Exception {
        world = new AlertWorld(dir);
        receiver = new AlertReceiver();
        alerts = world.service("alerts:\n  - { id: ops, type: webhook, url: \"" + receiver.url("/hook") + "\", repeatAfter: 24h }\n");
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        world.close();
    }

    @Test
    void newConditionIsTriggeredOnceAndRecorded() throws Exception {
        AlertReport r = alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.delivered()).isTrue();
            assertThat(d.action()).isEqualTo(AlertReport.Action.TRIGGER);
            assertThat(d.conditionKey()).isEqualTo("expiry:api");
        });
        assertThat(receiver.requests()).hasSize(1);
        assertThat(world.events(EventKinds.ALERT_TRIGGERED)).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("api");
            assertThat(e.details()).contains("\"channel\":\"ops\"").contains("\"reason\":\"new\"").contains("\"severity\":\"critical\"");
        });
    }

    @Test
    void unchangedConditionIsNotSentAgainBeforeRepeatAfter() throws Exception {
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));
        world.clock.advance(Duration.ofHours(23));

        AlertReport second = alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(second.deliveries()).isEmpty();
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void unchangedConditionIsSentAgainOnceRepeatAfterHasPassed() throws Exception {
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));
        world.clock.advance(Duration.ofHours(24));

        AlertReport again = alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(again.deliveries()).singleElement().extracting(AlertReport.Delivery::delivered).isEqualTo(true);
        assertThat(receiver.requests()).hasSize(2);
        assertThat(world.events(EventKinds.ALERT_TRIGGERED).get(1).details()).contains("\"reason\":\"repeat\"");
    }

    @Test
    void escalationIsSentAgainAtOnce() throws Exception {
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));
        world.clock.advance(Duration.ofMinutes(5));

        alerts.report(RENEW, List.of(expiry("api", Severity.EMERGENCY)));

        assertThat(receiver.requests()).hasSize(2);
        assertThat(receiver.requests().get(1).json().path("severity").asText()).isEqualTo("emergency");
        assertThat(world.events(EventKinds.ALERT_TRIGGERED).get(1).details()).contains("\"reason\":\"escalated\"");
    }

    @Test
    void stateHoldsAcrossRunsBecauseItLivesInHistory() throws Exception {
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));
        AlertService nextRun = world.service("alerts:\n  - { id: ops, type: webhook, url: \"" + receiver.url("/hook") + "\" }\n");

        assertThat(nextRun.report(RENEW, List.of(expiry("api", Severity.CRITICAL))).deliveries()).isEmpty();
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void clearedConditionIsResolvedExactlyOnce() throws Exception {
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        AlertReport cleared = alerts.report(RENEW, List.of());
        AlertReport after = alerts.report(RENEW, List.of());

        assertThat(cleared.deliveries()).singleElement().extracting(AlertReport.Delivery::action).isEqualTo(AlertReport.Action.RESOLVE);
        assertThat(after.deliveries()).isEmpty();
        assertThat(receiver.requests()).extracting(r -> r.json().path("action").asText()).containsExactly("trigger", "resolve");
        assertThat(world.events(EventKinds.ALERT_RESOLVED)).singleElement().extracting(e -> e.subject()).isEqualTo("api");
    }

    @Test
    void conditionOutsideTheScopeIsNotResolved() throws Exception {
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL), renewalFailed("www")));

        AlertReport onlyApi = alerts.report(AlertScope.of(EnumSet.allOf(ConditionKind.class), Set.of("api")), List.of());
        AlertReport drill = alerts.report(AlertScope.of(EnumSet.of(ConditionKind.DRILL_FAILED)), List.of());

        assertThat(onlyApi.deliveries()).singleElement().extracting(AlertReport.Delivery::conditionKey).isEqualTo("expiry:api");
        assertThat(drill.deliveries()).isEmpty();
        assertThat(world.events(EventKinds.ALERT_RESOLVED)).extracting(e -> e.subject()).containsExactly("api");
    }

    @Test
    void serverErrorThenSuccessIsDeliveredAfterARetryWithBackOff() throws Exception {
        receiver.answer(500);

        AlertReport r = alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).isEmpty();
        assertThat(receiver.requests()).hasSize(2);
        assertThat(world.sleeps).containsExactly(Duration.ofSeconds(1));
        assertThat(world.events(EventKinds.ALERT_TRIGGERED)).singleElement().satisfies(e -> assertThat(e.details()).contains("\"attempts\":2"));
    }

    @Test
    void persistentServerErrorGivesUpAfterTheBoundAndRecordsTheFailure() throws Exception {
        receiver.answer(503, 503, 503);

        AlertReport r = alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error()).contains("HTTP 503"));
        assertThat(receiver.requests()).hasSize(3);
        assertThat(world.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(world.events(EventKinds.ALERT_DELIVERY_FAILED)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("failed");
            assertThat(e.details()).contains("\"attempts\":3").contains("\"action\":\"trigger\"");
        });
        assertThat(world.events(EventKinds.ALERT_TRIGGERED)).isEmpty();
    }

    @Test
    void clientErrorIsNotRetried() throws Exception {
        receiver.answer(404);

        AlertReport r = alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error()).contains("HTTP 404").contains("revoked").doesNotContain("/hook"));
        assertThat(receiver.requests()).hasSize(1);
        assertThat(world.sleeps).isEmpty();
    }

    @Test
    void failedDeliveryIsTriedAgainOnTheNextReport() throws Exception {
        receiver.answer(400);
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        AlertReport next = alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(next.deliveries()).singleElement().extracting(AlertReport.Delivery::delivered).isEqualTo(true);
    }

    @Test
    void receiverDownIsRecordedAndTheOtherChannelStillDelivers() throws Exception {
        int dead = FreePort.tcp();
        AlertService two = world.service("alerts:\n"
                + "  - { id: down, type: webhook, url: \"http://127.0.0.1:" + dead + "/hook\" }\n"
                + "  - { id: ops, type: webhook, url: \"" + receiver.url("/hook") + "\" }\n");

        AlertReport r = two.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo("down");
            assertThat(d.error()).contains("cannot connect to 127.0.0.1:" + dead);
        });
        assertThat(r.deliveries()).filteredOn(AlertReport.Delivery::delivered).extracting(AlertReport.Delivery::channel).containsExactly("ops");
        assertThat(receiver.requests()).hasSize(1);
        assertThat(world.events(EventKinds.ALERT_DELIVERY_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("\"channel\":\"down\"").contains("\"attempts\":3"));
    }

    @Test
    void healthShowsTheChannelBrokenUntilItDeliversAgain() throws Exception {
        receiver.answer(500, 500, 500);
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));
        ChannelHealth broken = alerts.health().get(0);
        world.clock.advance(Duration.ofMinutes(10));
        alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(broken.broken()).isTrue();
        assertThat(broken.lastError()).contains("HTTP 500");
        assertThat(alerts.health().get(0).broken()).isFalse();
    }

    @Test
    void missingSecretMakesABrokenChannelThatFailsWithoutThrowing() throws Exception {
        AlertService s = world.service("alerts:\n  - { id: chat, type: slack, url: \"secret:nowhere\" }\n");

        AlertReport r = s.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error()).contains("secret 'nowhere' cannot be read")
                .contains("secrets/nowhere"));
        assertThat(world.events(EventKinds.ALERT_DELIVERY_FAILED)).hasSize(1);
    }

    @Test
    void unreadableHistoryStillSendsAndReportReturns() throws Exception {
        world.history.close();

        AlertReport r = alerts.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.deliveries()).singleElement().extracting(AlertReport.Delivery::delivered).isEqualTo(true);
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void hungReceiverTimesOutAndIsRetried() throws Exception {
        receiver.hang(1);
        AlertService quick = world.service("alerts:\n  - { id: ops, type: webhook, url: \"" + receiver.url("/hook") + "\" }\n",
                new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(300)));

        AlertReport r = quick.report(RENEW, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).isEmpty();
        assertThat(receiver.requests()).hasSize(2);
        assertThat(world.sleeps).containsExactly(Duration.ofSeconds(1));
    }
}

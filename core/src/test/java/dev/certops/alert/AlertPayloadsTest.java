package dev.certops.alert;

import static dev.certops.alert.AlertWorld.expiry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.history.EventKinds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each HTTP channel puts on the wire, received by a real local server; secrets come from secrets/. */
class AlertPayloadsTest {
    private static final AlertScope ALL = AlertScope.of(EnumSet.allOf(ConditionKind.class));
    private static final String ROUTING_KEY = "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY42";

    @TempDir Path dir;
    private AlertWorld world;
    private AlertReceiver receiver;
    private AlertService alerts;

    @BeforeEach
    void threeChannelsOnOneReceiver() throws Exception {
        world = new AlertWorld(dir);
        receiver = new AlertReceiver();
        world.secret("slack-webhook", receiver.url("/services/T000/B000/XXXXsecretXXXX"));
        world.secret("pd-routing-key", ROUTING_KEY + "\n");
        alerts = world.service("alerts:\n"
                + "  - { id: ops, type: webhook, url: \"" + receiver.url("/hook") + "\" }\n"
                + "  - { id: chat, type: slack, url: \"secret:slack-webhook\" }\n"
                + "  - { id: pager, type: pagerduty, routingKey: \"secret:pd-routing-key\", url: \"" + receiver.url("/v2/enqueue") + "\" }\n");
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        world.close();
    }

    @Test
    void webhookCarriesTheWholeConditionAsJson() {
        alerts.report(ALL, List.of(expiry("api", Severity.CRITICAL)));

        AlertReceiver.Request r = receiver.requests("/hook").get(0);
        JsonNode j = r.json();
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(j.path("action").asText()).isEqualTo("trigger");
        assertThat(j.path("key").asText()).isEqualTo("expiry:api");
        assertThat(j.path("kind").asText()).isEqualTo("expiry");
        assertThat(j.path("subject").asText()).isEqualTo("api");
        assertThat(j.path("severity").asText()).isEqualTo("critical");
        assertThat(j.path("summary").asText()).isEqualTo("certificate api expires in 3 days");
        assertThat(j.path("facts").path("daysLeft").asText()).isEqualTo("3");
        assertThat(j.path("nextStep").asText()).isEqualTo("./certops runbook run renewal-failing --param cert=api");
        assertThat(j.path("time").asText()).isEqualTo(AlertWorld.START.toString());
        assertThat(j.path("workspace").asText()).isEqualTo("/srv/certops-test");
        assertThat(j.path("test").asBoolean()).isFalse();
    }

    @Test
    void slackGetsTextAndBlocksWithTheNextCommand() {
        alerts.report(ALL, List.of(expiry("api", Severity.CRITICAL)));

        List<AlertReceiver.Request> slack = receiver.requests("/services/T000/B000/XXXXsecretXXXX");
        assertThat(slack).hasSize(1);
        JsonNode j = slack.get(0).json();
        assertThat(j.path("text").asText()).contains("[CRITICAL] expiry api: certificate api expires in 3 days");
        JsonNode blocks = j.path("blocks");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("text").asText()).contains("CRITICAL — expiry api");
        assertThat(blocks.toString()).contains("*daysLeft:* 3").contains("```./certops runbook run renewal-failing --param cert=api```");
    }

    @Test
    void pagerDutyTriggersAndResolvesWithOneStableDedupKey() {
        alerts.report(ALL, List.of(expiry("api", Severity.CRITICAL)));
        world.clock.advance(Duration.ofHours(1));
        alerts.report(ALL, List.of(expiry("api", Severity.EMERGENCY)));
        alerts.report(ALL, List.of());

        List<JsonNode> events = receiver.requests("/v2/enqueue").stream().map(AlertReceiver.Request::json).toList();
        assertThat(events).extracting(e -> e.path("event_action").asText()).containsExactly("trigger", "trigger", "resolve");
        assertThat(events).extracting(e -> e.path("dedup_key").asText()).containsOnly("certops:expiry:api");
        assertThat(events).extracting(e -> e.path("routing_key").asText()).containsOnly(ROUTING_KEY);
        JsonNode first = events.get(0).path("payload");
        assertThat(first.path("summary").asText()).isEqualTo("certificate api expires in 3 days");
        assertThat(first.path("source").asText()).isEqualTo("certops /srv/certops-test");
        assertThat(first.path("severity").asText()).isEqualTo("error");
        assertThat(first.path("custom_details").path("next_step").asText()).contains("renewal-failing");
        assertThat(events.get(1).path("payload").path("severity").asText()).isEqualTo("critical");
    }

    @Test
    void dedupKeysDifferPerCertificateAndCondition() {
        alerts.report(ALL, List.of(expiry("api", Severity.CRITICAL), expiry("www", Severity.CRITICAL), AlertWorld.renewalFailed("api")));

        assertThat(receiver.requests("/v2/enqueue")).extracting(r -> r.json().path("dedup_key").asText())
                .containsExactly("certops:expiry:api", "certops:expiry:www", "certops:renewal_failed:api");
    }

    @Test
    void secretsAndUrlsNeverReachHistory() throws Exception {
        receiver.answer(500, 500, 500);
        alerts.report(ALL, List.of(expiry("api", Severity.CRITICAL)));
        alerts.report(ALL, List.of());

        String recorded = world.allAlertDetails();
        assertThat(world.events(EventKinds.ALERT_DELIVERY_FAILED)).isNotEmpty();
        assertThat(recorded).doesNotContain(ROUTING_KEY).doesNotContain("XXXXsecretXXXX").doesNotContain("/services/")
                .doesNotContain("/hook").doesNotContain("/v2/enqueue");
    }

    @Test
    void testMessageReachesEveryChannelAndPagerDutyClosesItsOwnIncident() throws Exception {
        List<AlertService.TestResult> results = alerts.test(Optional.empty());

        assertThat(results).extracting(AlertService.TestResult::delivered).containsOnly(true);
        assertThat(receiver.requests("/hook").get(0).json().path("test").asBoolean()).isTrue();
        assertThat(receiver.requests("/v2/enqueue")).extracting(r -> r.json().path("event_action").asText()).containsExactly("trigger", "resolve");
        assertThat(world.events(EventKinds.ALERT_TEST)).extracting(e -> e.subject()).containsExactly("ops", "chat", "pager");
        assertThat(world.events(EventKinds.ALERT_TRIGGERED)).isEmpty();
    }
}

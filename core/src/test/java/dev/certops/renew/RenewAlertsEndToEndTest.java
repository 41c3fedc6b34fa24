package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.certops.acme.AcmeLab;
import dev.certops.alert.AlertReceiver;
import dev.certops.cli.CliRun;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.testing.FreePort;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certops renew} with real alert channels: a webhook, Slack and PagerDuty (URL overridden)
 * received by a real local HTTP server and an email channel delivered to a real SMTP server
 * (GreenMail, {@code starttls: optional}: GreenMail offers no STARTTLS). Both Pebbles down: exit 2
 * and exactly one message per channel, each in its format; the served certificate is untouched; the
 * next run backs off and sends nothing. The CAs back: the operator's {@code renew --cert due} (which
 * ignores the backoff) renews, and every channel receives the resolve.
 */
class RenewAlertsEndToEndTest {
    private static final String SMTP_PASSWORD = "Smtp-Pa55word-e2e";
    private static final String ROUTING_KEY = "R0uting-Key-e2e-0123456789abcdef";
    private static final String NEXT_STEP = "./certops runbook run renewal-failing --param certificate=due";
    private static final int SMTP_PORT = FreePort.tcp();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("certops@example.com", "certops", SMTP_PASSWORD))
            .withPerMethodLifecycle(true);

    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    RenewWorld world;
    AlertReceiver receiver;

    @BeforeAll
    static void startLab() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stopLab() { lab.close(); }

    @AfterEach
    void stop() {
        if (receiver != null) receiver.close();
        if (world != null) world.close();
    }

    private String ws() { return world.session.workspace().root().toString(); }

    private CliRun renew(String... more) {
        String[] args = new String[more.length + 3];
        args[0] = "renew";
        args[1] = "--workspace";
        args[2] = ws();
        System.arraycopy(more, 0, args, 3, more.length);
        return CliRun.run(Map.of(), "", args);
    }

    private List<HistoryEvent> events(String kind) throws Exception {
        return world.session.history().query(EventQuery.all().kind(kind));
    }

    private void configureAlerts() throws Exception {
        world.session.secrets().write("smtp", SMTP_PASSWORD.getBytes(StandardCharsets.UTF_8));
        world.session.secrets().write("pd-routing-key", ROUTING_KEY.getBytes(StandardCharsets.UTF_8));
        Files.writeString(world.session.workspace().configFile(), """
                alerts:
                  - { id: ops, type: webhook, url: "%s" }
                  - { id: chat, type: slack, url: "%s" }
                  - { id: pager, type: pagerduty, routingKey: "secret:pd-routing-key", url: "%s" }
                  - { id: mail, type: email, smtp: "127.0.0.1:%d", from: certops@example.com, to: [oncall@example.com], user: certops, password: "secret:smtp", starttls: optional }
                """.formatted(receiver.url("/hook"), receiver.url("/slack"), receiver.url("/pd/v2/enqueue"), SMTP_PORT),
                StandardOpenOption.APPEND);
    }

    private static String subject(MimeMessage m) throws Exception { return m.getSubject(); }

    @Test
    void bothCasDownAlertsOncePerChannelBacksOffThenResolvesOnEveryChannelWhenACaIsBack() throws Exception {
        world = new RenewWorld(lab, dir, lab.primary.directoryUrl(), lab.secondary.directoryUrl());
        receiver = new AlertReceiver();
        configureAlerts();
        lab.primary.stop();
        lab.secondary.stop();

        CliRun down = renew();

        assertThat(down.exitCode()).as(down.out() + down.err()).isEqualTo(RunExit.PERSON_NEEDED);
        assertThat(down.err()).contains("due").doesNotContain("alert channel");
        assertThat(world.served("due")).as("the served certificate is untouched").isEqualTo(world.seededSerial.get("due"));

        JsonNode hook = receiver.requests("/hook").get(0).json();
        assertThat(receiver.requests("/hook")).hasSize(1);
        assertThat(hook.path("source").asText()).isEqualTo("certops");
        assertThat(hook.path("action").asText()).isEqualTo("trigger");
        assertThat(hook.path("key").asText()).isEqualTo("renewal_failed:due");
        assertThat(hook.path("subject").asText()).isEqualTo("due");
        assertThat(hook.path("severity").asText()).isEqualTo("critical");
        assertThat(hook.path("facts").path("certificate").asText()).isEqualTo("due");
        assertThat(hook.path("facts").path("hosts").asText()).isEqualTo("h-due");
        assertThat(hook.path("facts").path("failure").asText()).isEqualTo("ca-unavailable");
        assertThat(hook.path("facts").path("daysLeft").asText()).isIn("9", "10");
        assertThat(hook.path("facts").path("reason").asText()).startsWith("no CA issued 'due': - primary: ").contains(" - secondary: ");
        assertThat(hook.path("facts").has("caMessage")).as("no CA answered, so there is no CA message").isFalse();
        assertThat(hook.path("nextStep").asText()).isEqualTo(NEXT_STEP);
        assertThat(hook.path("workspace").asText()).isEqualTo(ws());

        assertThat(receiver.requests("/slack")).singleElement().satisfies(r -> {
            JsonNode slack = r.json();
            assertThat(slack.path("text").asText()).startsWith(":red_circle: [CRITICAL] renewal_failed due: renewal of due failed at issue (no CA could be reached)");
            assertThat(slack.path("blocks").toString()).contains("*hosts:* h-due").contains("*failure:* ca-unavailable")
                    .contains("```" + NEXT_STEP + "```");
        });

        JsonNode pd = receiver.requests("/pd/v2/enqueue").get(0).json();
        assertThat(receiver.requests("/pd/v2/enqueue")).hasSize(1);
        assertThat(pd.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(pd.path("event_action").asText()).isEqualTo("trigger");
        assertThat(pd.path("dedup_key").asText()).isEqualTo("certops:renewal_failed:due");
        assertThat(pd.path("payload").path("severity").asText()).isEqualTo("error");
        assertThat(pd.path("payload").path("component").asText()).isEqualTo("due");
        assertThat(pd.path("payload").path("custom_details").path("next_step").asText()).isEqualTo(NEXT_STEP);
        assertThat(pd.path("payload").path("custom_details").path("failure").asText()).isEqualTo("ca-unavailable");

        assertThat(SMTP.waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(SMTP.getReceivedMessages()).singleElement().satisfies(m -> {
            assertThat(subject(m)).startsWith("certops [CRITICAL] renewal_failed due: renewal of due failed at issue (no CA could be reached)");
            assertThat(((String) m.getContent()).replace("\r\n", "\n")).contains("certificate: due").contains("hosts: h-due").contains("failure: ca-unavailable")
                    .containsPattern("daysLeft: (9|10)\\b").contains("Next step:\n    " + NEXT_STEP);
        });

        long attempts = events(EventKinds.ACME_ATTEMPT).size();
        CliRun backedOff = renew();

        assertThat(backedOff.exitCode()).isEqualTo(RunExit.PERSON_NEEDED);
        assertThat(events(EventKinds.RENEW_BACKED_OFF)).singleElement().satisfies(e -> assertThat(e.subject()).isEqualTo("due"));
        assertThat(events(EventKinds.ACME_ATTEMPT)).as("the backed-off run asked no CA").hasSize((int) attempts);
        assertThat(receiver.requests()).as("nothing new is sent while the condition is unchanged").hasSize(3);
        assertThat(SMTP.getReceivedMessages()).hasSize(1);

        lab.primary.start();
        lab.secondary.start();
        CliRun back = renew("--cert", "due");

        assertThat(back.exitCode()).as(back.out() + back.err()).isZero();
        assertThat(world.served("due")).isNotEqualTo(world.seededSerial.get("due"));
        assertThat(receiver.requests("/hook")).hasSize(2).last().satisfies(r -> {
            assertThat(r.json().path("action").asText()).isEqualTo("resolve");
            assertThat(r.json().path("key").asText()).isEqualTo("renewal_failed:due");
        });
        assertThat(receiver.requests("/slack")).hasSize(2).last()
                .satisfies(r -> assertThat(r.json().path("text").asText()).startsWith(":large_green_circle: [RESOLVED] renewal_failed due"));
        assertThat(receiver.requests("/pd/v2/enqueue")).hasSize(2).last().satisfies(r -> {
            assertThat(r.json().path("event_action").asText()).isEqualTo("resolve");
            assertThat(r.json().path("dedup_key").asText()).isEqualTo("certops:renewal_failed:due");
        });
        assertThat(SMTP.waitForIncomingEmail(5000, 2)).isTrue();
        assertThat(subject(SMTP.getReceivedMessages()[1])).startsWith("certops [RESOLVED] renewal_failed due: Resolved: renewal of due failed");
        assertThat(events("alert.").toString()).doesNotContain(SMTP_PASSWORD).doesNotContain(ROUTING_KEY);
    }
}

package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsSectionTest {
    private static final Path FILE = Path.of("/ws/certops.yaml");

    private static AlertsConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(FILE, yaml).alerts();
    }

    @Test
    void theFourChannelTypesAreReadWithSecretReferences() throws Exception {
        AlertsConfig a = parse("""
                alerts:
                  - { id: ops, type: webhook, url: "https://hooks.example.com/certops" }
                  - { id: chat, type: slack, url: "secret:slack-webhook", repeatAfter: 12h }
                  - { id: pager, type: pagerduty, routingKey: "secret:pd-routing-key" }
                  - { id: mail, type: email, smtp: "smtp.example.com:587", from: certops@example.com, to: [oncall@example.com], user: certops, password: "secret:smtp" }
                """);

        assertThat(a.channels()).extracting(AlertChannelConfig::type).containsExactly("webhook", "slack", "pagerduty", "email");
        assertThat(a.channel("chat").orElseThrow().repeatAfter()).isEqualTo(Duration.ofHours(12));
        assertThat(a.channel("ops").orElseThrow().repeatAfter()).isEqualTo(Duration.ofHours(24));
        var pd = (AlertChannelConfig.PagerDuty) a.channel("pager").orElseThrow();
        assertThat(pd.routingKey().name()).contains("pd-routing-key");
        assertThat(pd.eventsUrl()).isEqualTo(AlertChannelConfig.PagerDuty.EVENTS_URL);
        var mail = (AlertChannelConfig.Email) a.channel("mail").orElseThrow();
        assertThat(mail.host()).isEqualTo("smtp.example.com");
        assertThat(mail.port()).isEqualTo(587);
        assertThat(mail.to()).containsExactly("oncall@example.com");
        assertThat(mail.user()).contains("certops");
        assertThat(mail.password()).contains(new SecretRef("secret:smtp"));
        assertThat(mail.starttls()).isEqualTo(AlertChannelConfig.StartTls.REQUIRED);
    }

    @Test
    void mappingFormSetsTheDefaultRepeatForChannelsWithoutTheirOwn() throws Exception {
        AlertsConfig a = parse("""
                alerts:
                  repeatAfter: 6h
                  channels:
                    - { id: ops, type: webhook, url: "secret:hook" }
                    - { id: chat, type: slack, url: "secret:slack", repeatAfter: 2d }
                """);
        assertThat(a.repeatAfter()).isEqualTo(Duration.ofHours(6));
        assertThat(a.channels()).extracting(AlertChannelConfig::repeatAfter).containsExactly(Duration.ofHours(6), Duration.ofDays(2));
    }

    @Test
    void withoutAnAlertsSectionThereAreNoChannels() throws Exception {
        assertThat(parse("resolvers: [1.1.1.1]\n").channels()).isEmpty();
    }

    @Test
    void unknownTypeNamesTheLineAndTheAllowedTypes() {
        assertThatThrownBy(() -> parse("alerts:\n  - { id: x, type: teams, url: \"https://h.example.com/\" }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("certops.yaml:2").hasMessageContaining("alerts[0].type")
                .hasMessageContaining("'teams' is not an alert channel type").hasMessageContaining("webhook, slack, pagerduty, email");
    }

    @Test
    void missingRoutingKeyIsNamed() {
        assertThatThrownBy(() -> parse("alerts:\n  - { id: pager, type: pagerduty }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("certops.yaml:2").hasMessageContaining("'routingKey' is missing");
    }

    @Test
    void keyOfAnotherTypeIsRefusedWithTheKeysAllowedHere() {
        assertThatThrownBy(() -> parse("alerts:\n  - { id: ops, type: webhook, url: \"secret:h\", routingKey: abc }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alerts[0].routingKey")
                .hasMessageContaining("unknown key — allowed here: id, repeatAfter, type, url");
    }

    @Test
    void badUrlIsRefusedWithoutRepeatingItsText() {
        assertThatThrownBy(() -> parse("alerts:\n  - { id: chat, type: slack, url: \"hooks.slack.com/services/T0/B0/sekrit\" }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not an http(s) URL")
                .hasMessageNotContaining("sekrit");
    }

    @Test
    void literalSmtpPasswordIsRefusedWithWhatToDoInstead() {
        assertThatThrownBy(() -> parse("""
                alerts:
                  - { id: mail, type: email, smtp: "smtp.example.com:587", from: a@example.com, to: [b@example.com], user: u, password: hunter2 }
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("must be a secret: reference")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void emailWithoutRecipientAddressIsRefused() {
        assertThatThrownBy(() -> parse("""
                alerts:
                  - { id: mail, type: email, smtp: "smtp.example.com", from: a@example.com, to: [oncall] }
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("alerts[0].to[0]")
                .hasMessageContaining("'oncall' is not an email address");
    }

    @Test
    void unknownStarttlsModeNamesTheAllowedModes() {
        assertThatThrownBy(() -> parse("""
                alerts:
                  - { id: mail, type: email, smtp: "smtp.example.com:25", from: a@example.com, to: b@example.com, starttls: never }
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("required (default), optional");
    }

    @Test
    void duplicateChannelIdIsRefused() {
        assertThatThrownBy(() -> parse("alerts:\n  - { id: ops, type: webhook, url: \"secret:a\" }\n  - { id: ops, type: slack, url: \"secret:b\" }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("certops.yaml:3").hasMessageContaining("ids must be unique");
    }

    @Test
    void pagerDutyEndpointCanBeOverridden() throws Exception {
        var pd = (AlertChannelConfig.PagerDuty) parse("alerts:\n  - { id: p, type: pagerduty, routingKey: \"secret:pd\", url: \"http://127.0.0.1:9/v2/enqueue\" }\n")
                .channels().get(0);
        assertThat(pd.url()).isEqualTo(Optional.of("http://127.0.0.1:9/v2/enqueue"));
        assertThat(List.of(pd.routingKey().toString())).containsExactly("secret:pd");
    }

    @Test
    void emailTrustIsResolvedAgainstTheWorkspace(@TempDir Path ws) throws Exception {
        TestTls tls = TestTls.create(ws.resolve("pki"));
        Files.createDirectories(ws.resolve("certs"));
        Files.copy(tls.caPem(), ws.resolve("certs/internal-ca.pem"));

        var mail = (AlertChannelConfig.Email) ConfigLoader.parse(ws.resolve("certops.yaml"), """
                alerts:
                  - { id: mail, type: email, smtp: "relay.internal:587", from: a@example.com, to: b@example.com, trust: certs/internal-ca.pem }
                """).alerts().channels().get(0);

        assertThat(mail.trust()).contains(ws.resolve("certs/internal-ca.pem"));
        assertThat(mail.starttls()).isEqualTo(AlertChannelConfig.StartTls.REQUIRED);
    }

    @Test
    void emailWithoutTrustUsesJavasTrustStore() throws Exception {
        var mail = (AlertChannelConfig.Email) parse("alerts:\n  - { id: mail, type: email, smtp: \"smtp.example.com\", from: a@example.com, to: b@example.com }\n")
                .channels().get(0);
        assertThat(mail.trust()).isEmpty();
    }

    @Test
    void aMissingTrustFileDoesNotInvalidateTheConfigurationItIsLeftToConfigCheck(@TempDir Path ws) throws Exception {
        var mail = (AlertChannelConfig.Email) ConfigLoader.parse(ws.resolve("certops.yaml"), """
                alerts:
                  - { id: mail, type: email, smtp: "relay.internal:587", from: a@example.com, to: b@example.com,
                      trust: certs/internal-ca.pem }
                """).alerts().channels().get(0);
        assertThat(mail.trust()).contains(ws.resolve("certs/internal-ca.pem"));
    }
}

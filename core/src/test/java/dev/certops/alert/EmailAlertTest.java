package dev.certops.alert;

import static dev.certops.alert.AlertWorld.expiry;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.certops.history.EventKinds;
import dev.certops.testing.FreePort;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The email channel against a real in-process SMTP server (GreenMail). GreenMail offers no STARTTLS
 * (greenmail issue #135), so delivery is checked with {@code starttls: optional} over plain SMTP on
 * loopback, and {@code starttls: required} is checked to refuse that server. Delivery over STARTTLS
 * (the default) is {@link EmailStartTlsTest}, against SubEtha SMTP.
 */
class EmailAlertTest {
    private static final AlertScope ALL = AlertScope.of(EnumSet.allOf(ConditionKind.class));
    private static final String PASSWORD = "Smtp-Pa55word-xyz";
    private static final int PORT = FreePort.tcp();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("certops@example.com", "certops", PASSWORD))
            .withPerMethodLifecycle(true);

    @TempDir Path dir;
    private AlertWorld world;

    @BeforeEach
    void workspace() throws Exception {
        world = new AlertWorld(dir).secret("smtp", PASSWORD);
    }

    @AfterEach
    void stop() throws Exception { world.close(); }

    private AlertService mail(String extra) throws Exception {
        return world.service("alerts:\n  - { id: mail, type: email, smtp: \"127.0.0.1:" + PORT + "\", from: certops@example.com, "
                + "to: [oncall@example.com, backup@example.com], user: certops, password: \"secret:" + extra + "\", starttls: optional }\n");
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void alertArrivesAsMailWithSubjectFactsAndNextStep() throws Exception {
        AlertReport r = mail("smtp").report(ALL, List.of(expiry("api", Severity.EMERGENCY)));

        assertThat(r.failed()).isEmpty();
        assertThat(SMTP.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage m = SMTP.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("certops [EMERGENCY] expiry api: certificate api expires in 3 days");
        assertThat(m.getFrom()[0].toString()).isEqualTo("certops@example.com");
        String body = (String) m.getContent();
        assertThat(body).contains("certificate api expires in 3 days").contains("daysLeft: 3").contains("hosts: web1, web2")
                .contains("./certops runbook run renewal-failing --param cert=api");
        assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("oncall@example.com", "backup@example.com");
    }

    @Test
    void resolveArrivesAsItsOwnMail() throws Exception {
        AlertService s = mail("smtp");
        s.report(ALL, List.of(expiry("api", Severity.CRITICAL)));
        s.report(ALL, List.of());

        assertThat(SMTP.waitForIncomingEmail(5000, 4)).isTrue();
        assertThat(Arrays.stream(SMTP.getReceivedMessages()).map(EmailAlertTest::subject).distinct())
                .containsExactly("certops [CRITICAL] expiry api: certificate api expires in 3 days",
                        "certops [RESOLVED] expiry api: Resolved: certificate api expires in 3 days");
    }

    @Test
    void wrongPasswordFailsWithoutRetryAndNeverShowsThePassword() throws Exception {
        world.secret("wrong", "not-the-" + PASSWORD);

        AlertReport r = mail("wrong").report(ALL, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error()).contains("refused the login of user 'certops'")
                .contains("secret:wrong").doesNotContain(PASSWORD));
        assertThat(world.sleeps).isEmpty();
        assertThat(world.events(EventKinds.ALERT_DELIVERY_FAILED)).hasSize(1);
        assertThat(world.allAlertDetails()).doesNotContain(PASSWORD);
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void requiredStarttlsRefusesAServerWithoutIt() throws Exception {
        AlertService s = world.service("alerts:\n  - { id: mail, type: email, smtp: \"127.0.0.1:" + PORT + "\", from: certops@example.com, "
                + "to: [oncall@example.com], user: certops, password: \"secret:smtp\" }\n");

        AlertReport r = s.report(ALL, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error()).contains("does not offer STARTTLS")
                .contains("starttls: optional"));
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void serverDownIsRetriedThenRecorded() throws Exception {
        int dead = FreePort.tcp();
        AlertService s = world.service("alerts:\n  - { id: mail, type: email, smtp: \"127.0.0.1:" + dead + "\", from: certops@example.com, "
                + "to: [oncall@example.com], starttls: optional }\n");

        AlertReport r = s.report(ALL, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error()).contains("cannot connect to the SMTP server 127.0.0.1:" + dead));
        assertThat(world.sleeps).hasSize(2);
        assertThat(world.events(EventKinds.ALERT_DELIVERY_FAILED)).singleElement().satisfies(e -> assertThat(e.details()).contains("\"attempts\":3"));
    }
}

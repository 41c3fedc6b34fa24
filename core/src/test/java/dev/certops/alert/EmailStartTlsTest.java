package dev.certops.alert;

import static dev.certops.alert.AlertWorld.expiry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigLoader;
import dev.certops.history.EventKinds;
import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The email channel's default mode, {@code starttls: required}, against a real SMTP relay (SubEtha
 * SMTP) that offers STARTTLS with a certificate from an internal CA the JVM does not know, and
 * requires TLS before MAIL and AUTH.
 */
class EmailStartTlsTest {
    private static final AlertScope ALL = AlertScope.of(EnumSet.allOf(ConditionKind.class));
    private static final String PASSWORD = "Relay-Pa55word-qrs";

    @TempDir Path dir;
    @TempDir Path pki;
    private AlertWorld world;
    private StartTlsRelay relay;

    @BeforeEach
    void workspace() throws Exception {
        world = new AlertWorld(dir).secret("smtp", PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        if (relay != null) relay.close();
        world.close();
    }

    /** A relay whose certificate (for {@code san}) is issued by a fresh internal CA; returns that CA's PEM. */
    private Path relayWithCertificateFor(String san) throws Exception {
        TestTls tls = TestTls.create(pki.resolve("relay"), san);
        relay = new StartTlsRelay(tls, "certops", PASSWORD);
        return tls.caPem();
    }

    /** Copies a CA file into the workspace as certs/NAME. */
    private void install(Path ca, String name) throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        Files.copy(ca, dir.resolve("certs").resolve(name));
    }

    /** A channel with the default starttls (required) to the relay, with {@code trust} (or none if empty). */
    private AlertReport send(String trust) throws Exception {
        AlertService s = world.service("alerts:\n  - { id: mail, type: email, smtp: \"127.0.0.1:" + relay.port() + "\", from: certops@example.com, "
                + "to: [oncall@example.com], user: certops, password: \"secret:smtp\"" + (trust.isEmpty() ? "" : ", trust: " + trust) + " }\n");
        return s.report(ALL, List.of(expiry("api", Severity.CRITICAL)));
    }

    @Test
    void deliversOverStartTlsTrustingTheRelaysInternalCa() throws Exception {
        install(relayWithCertificateFor("DNS:localhost,IP:127.0.0.1"), "internal-ca.pem");

        AlertReport r = send("certs/internal-ca.pem");

        assertThat(r.failed()).isEmpty();
        StartTlsRelay.Received m = relay.next(10).orElseThrow(() -> new AssertionError("the relay received no message"));
        assertThat(m.tls()).as("TLS protocol of the session the message came in on").startsWith("TLSv1.");
        assertThat(m.from()).isEqualTo("certops@example.com");
        assertThat(m.to()).isEqualTo("oncall@example.com");
        assertThat(m.data()).contains("Subject: certops [CRITICAL] expiry api: certificate api expires in 3 days")
                .contains("certificate api expires in 3 days").contains("daysLeft: 3")
                .contains("./certops runbook run renewal-failing --param cert=api");
    }

    @Test
    void refusesARelayWhoseCertificateIsNotTrustedAndSaysWhichTrustToAdd() throws Exception {
        relayWithCertificateFor("DNS:localhost,IP:127.0.0.1");

        AlertReport r = send("");

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error())
                .contains("the SMTP server 127.0.0.1:" + relay.port() + " presented a certificate")
                .contains("issued by CN=certops test CA").contains("Java's trust store does not trust")
                .contains("add trust: PATH to channel 'mail'").doesNotContain("PKIX").doesNotContain(PASSWORD));
        assertThat(world.sleeps).as("a certificate refusal is not retried").isEmpty();
        assertThat(world.allAlertDetails()).doesNotContain(PASSWORD);
        assertThat(relay.pending()).isZero();
    }

    @Test
    void refusesARelayWhenTrustNamesAnotherCaAndSaysWhichFileToFix() throws Exception {
        relayWithCertificateFor("DNS:localhost,IP:127.0.0.1");
        install(TestTls.create(pki.resolve("other")).caPem(), "other-ca.pem");

        AlertReport r = send("certs/other-ca.pem");

        Path file = dir.resolve("certs/other-ca.pem");
        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error())
                .contains("neither trust: " + file + " nor Java's trust store trusts")
                .contains("add the certificate of the CA that issued it (CN=certops test CA) to " + file));
        assertThat(relay.pending()).isZero();
    }

    @Test
    void refusesARelayWhoseCertificateNamesAnotherHost() throws Exception {
        install(relayWithCertificateFor("DNS:mail.internal.example"), "internal-ca.pem");

        AlertReport r = send("certs/internal-ca.pem");

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error())
                .contains("the SMTP server 127.0.0.1:" + relay.port() + " presented a certificate for mail.internal.example, not for 127.0.0.1")
                .contains("set smtp: to a name its certificate carries (e.g. \"mail.internal.example:" + relay.port() + "\")"));
        assertThat(world.sleeps).isEmpty();
        assertThat(relay.pending()).isZero();
    }

    @Test
    void trustFileGoneAfterTheConfigWasLoadedMakesTheChannelFailNamingTheFile() throws Exception {
        install(relayWithCertificateFor("DNS:localhost,IP:127.0.0.1"), "internal-ca.pem");
        CertopsConfig cfg = ConfigLoader.parse(dir.resolve("certops.yaml"), "alerts:\n  - { id: mail, type: email, smtp: \"127.0.0.1:"
                + relay.port() + "\", from: certops@example.com, to: [oncall@example.com], trust: certs/internal-ca.pem }\n");
        Files.delete(dir.resolve("certs/internal-ca.pem"));
        AlertService s = AlertService.configure(cfg.alerts(), world.secrets, world.history, world.clock, "/srv/certops-test", AlertWorld.FAST,
                world.sleeps::add);

        AlertReport r = s.report(ALL, List.of(expiry("api", Severity.CRITICAL)));

        assertThat(r.failed()).singleElement().satisfies(d -> assertThat(d.error())
                .contains("trust: " + dir.resolve("certs/internal-ca.pem") + " cannot be used: it cannot be read"));
        assertThat(world.events(EventKinds.ALERT_DELIVERY_FAILED)).hasSize(1);
        assertThat(relay.pending()).isZero();
    }
}

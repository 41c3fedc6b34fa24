package dev.certops.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.estate.EndpointView;
import dev.certops.estate.EstateService;
import dev.certops.estate.EstateSnapshot;
import dev.certops.estate.Status;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.ManagedProcess;
import dev.certops.testing.OpensslClient;
import dev.certops.testing.Poll;
import dev.certops.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS endpoints against real servers on loopback — Postfix (SMTP), Dovecot (IMAP and POP3),
 * OpenLDAP's slapd (the StartTLS extended operation) and PostgreSQL (SSLRequest) — read by the scan's
 * non-blocking batch probe, judged like any TLS endpoint and compared with openssl.
 */
class StartTlsScanTest {
    @TempDir static Path dir;
    static ManagedProcess postfix;
    static ManagedProcess dovecot;
    static ManagedProcess slapd;
    static PostgresFixture postgres;
    static Path postfixEtc;
    static int smtp;
    static int imap;
    static int pop3;
    static int ldap;
    static Path rootPem;
    static EstateSnapshot snapshot;

    @BeforeAll
    static void mailServers() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        var root = CertificateBuilder.ca("Mail Root").build();
        var inter = CertificateBuilder.ca("Mail Intermediate").signedBy(root).build();
        var leaf = CertificateBuilder.leaf("mail.starttls.test").signedBy(inter).build();
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Files.writeString(tls.resolve("fullchain.pem"), PemWriter.certificates(List.of(leaf.certificate(), inter.certificate())));
        Files.writeString(tls.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
        rootPem = tls.resolve("root.pem");
        Files.writeString(rootPem, PemWriter.certificate(root.certificate()));
        for (String[] needed : new String[][] {{"/usr/sbin/slapd", "slapd"}, {"/usr/lib/dovecot/pop3-login", "dovecot-pop3d"}}) {
            if (!Files.isExecutable(Path.of(needed[0]))) {
                throw new IllegalStateException(needed[0] + " is not installed: install it with `apt-get update && apt-get install -y " + needed[1] + "` (.ci/run does this in CI)");
            }
        }
        smtp = FreePort.tcp();
        imap = FreePort.tcp();
        pop3 = FreePort.tcp();
        ldap = FreePort.tcp();
        startPostfix(tls);
        startDovecot(tls);
        startSlapd(tls);
        postgres = PostgresFixture.dedicatedWithTls(tls.resolve("fullchain.pem"), tls.resolve("privkey.pem"));

        Path ws = dir.resolve("ws");
        new Workspace(ws).create();
        Files.writeString(new Workspace(ws).configFile(), "trust: [" + rootPem + "]\nendpoints:\n"
                + "  - { host: 127.0.0.1, port: " + smtp + ", sni: mail.starttls.test, starttls: smtp }\n"
                + "  - { host: 127.0.0.1, port: " + imap + ", sni: mail.starttls.test, starttls: imap }\n"
                + "  - { host: 127.0.0.1, port: " + imap + ", sni: imap.other.test, starttls: imap }\n"
                + "  - { host: 127.0.0.1, port: " + pop3 + ", sni: mail.starttls.test, starttls: pop3 }\n"
                + "  - { host: 127.0.0.1, port: " + ldap + ", sni: mail.starttls.test, starttls: ldap }\n"
                + "  - { host: 127.0.0.1, port: " + postgres.port() + ", sni: mail.starttls.test, starttls: postgres }\n"
                + "  - { host: 127.0.0.1, port: " + smtp + ", sni: mail.starttls.test, starttls: pop3 }\n");
        try (CompositionRoot s = new CompositionRoot(new Workspace(ws), Map.of("USER", "tester"), Clock.systemUTC())) {
            snapshot = new EstateService(s, new TlsProbe(Duration.ofSeconds(2), Duration.ofSeconds(5), TlsProbe.Mode.CHAIN_ONLY), 4).scanOnly();
        }
    }

    private static void startPostfix(Path tls) throws Exception {
        Path d = Files.createDirectories(dir.resolve("postfix"));
        postfixEtc = Files.createDirectories(d.resolve("etc"));
        Files.createDirectories(d.resolve("queue"));
        Path data = Files.createDirectories(d.resolve("data"));
        run("chown", "postfix", data.toString());
        Files.writeString(postfixEtc.resolve("main.cf"), String.join("\n", "queue_directory = " + d.resolve("queue"), "data_directory = " + data,
                "inet_interfaces = 127.0.0.1", "inet_protocols = ipv4", "smtpd_tls_cert_file = " + tls.resolve("fullchain.pem"),
                "smtpd_tls_key_file = " + tls.resolve("privkey.pem"), "smtpd_tls_security_level = may", "maillog_file = /dev/stdout",
                "compatibility_level = 3.6", "mydestination =", "myhostname = mail.starttls.test", ""));
        String master = Files.readString(Path.of("/etc/postfix/master.cf"))
                .replaceFirst("(?m)^smtp\\s+inet\\s.*smtpd$", "127.0.0.1:" + smtp + " inet n - n - - smtpd");
        Files.writeString(postfixEtc.resolve("master.cf"), master);
        run("postfix", "-c", postfixEtc.toString(), "set-permissions");
        postfix = ManagedProcess.start("postfix", List.of("/usr/sbin/postfix", "-c", postfixEtc.toString(), "start-fg"), d.resolve("postfix.log"));
        awaitListening(smtp);
    }

    private static void startDovecot(Path tls) throws Exception {
        Path d = Files.createDirectories(dir.resolve("dovecot"));
        Files.createDirectories(d.resolve("base"));
        Files.createDirectories(d.resolve("state"));
        Files.writeString(d.resolve("dovecot.conf"), String.join("\n", "base_dir = " + d.resolve("base"), "state_dir = " + d.resolve("state"),
                "protocols = imap pop3", "listen = 127.0.0.1", "ssl = yes", "ssl_cert = <" + tls.resolve("fullchain.pem"), "ssl_key = <" + tls.resolve("privkey.pem"),
                "log_path = /dev/stderr", "service imap-login {", "  inet_listener imap {", "    address = 127.0.0.1", "    port = " + imap, "  }",
                "  inet_listener imaps {", "    port = 0", "  }", "}", "service pop3-login {", "  inet_listener pop3 {", "    address = 127.0.0.1",
                "    port = " + pop3, "  }", "  inet_listener pop3s {", "    port = 0", "  }", "}", "passdb {", "  driver = static", "  args = password=unused", "}",
                "userdb {", "  driver = static", "  args = uid=nobody gid=nogroup home=" + d.resolve("home"), "}", ""));
        dovecot = ManagedProcess.start("dovecot", List.of("/usr/sbin/dovecot", "-F", "-c", d.resolve("dovecot.conf").toString()), d.resolve("dovecot.log"));
        awaitListening(imap);
        awaitListening(pop3);
    }

    /** OpenLDAP without any database: the StartTLS extended operation needs none. */
    private static void startSlapd(Path tls) throws Exception {
        Path d = Files.createDirectories(dir.resolve("slapd"));
        // slapd's GnuTLS does not parse this PKCS#8 EC key ("ASN1 parser: Element was not found"): give it the SEC1 form
        run("openssl", "ec", "-in", tls.resolve("privkey.pem").toString(), "-out", d.resolve("key.pem").toString());
        Files.writeString(d.resolve("slapd.conf"), String.join("\n", "pidfile " + d.resolve("slapd.pid"), "argsfile " + d.resolve("slapd.args"),
                "TLSCertificateFile " + tls.resolve("fullchain.pem"), "TLSCertificateKeyFile " + d.resolve("key.pem"), ""));
        slapd = ManagedProcess.start("slapd", List.of("/usr/sbin/slapd", "-f", d.resolve("slapd.conf").toString(), "-h", "ldap://127.0.0.1:" + ldap + "/",
                "-d", "256"), d.resolve("slapd.log"));
        try {
            awaitListening(ldap);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; slapd said: " + Files.readString(d.resolve("slapd.log")), e);
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }

    private static void awaitListening(int port) {
        dev.certops.testing.Poll.until(Duration.ofSeconds(15), () -> dev.certops.testing.Poll.accepts(port), "port " + port + " to listen");
    }

    @AfterAll
    static void stop() throws Exception {
        if (postfix != null) {
            run("postfix", "-c", postfixEtc.toString(), "stop");
            postfix.close();
        }
        if (dovecot != null) dovecot.close();
        if (slapd != null) slapd.close();
        if (postgres != null) postgres.close();
    }

    private static EndpointView endpoint(int port, String sni) {
        return snapshot.extraEndpoints().stream().filter(e -> e.endpoint().port() == port && e.endpoint().sni().equals(sni)
                && !(port == smtp && e.endpoint().starttls() != dev.certops.config.Endpoint.StartTls.SMTP)).findFirst().orElseThrow();
    }

    @Test
    void dovecotIsReadThroughPop3StlsAndIsOkLikeOpensslSays() throws Exception {
        assertOkLikeOpenssl(pop3, "pop3");
    }

    @Test
    void slapdIsReadThroughTheLdapStartTlsOperationAndIsOkLikeOpensslSays() throws Exception {
        assertOkLikeOpenssl(ldap, "ldap");
    }

    @Test
    void postgresIsReadThroughItsSslRequestAndIsOkLikeOpensslSays() throws Exception {
        assertOkLikeOpenssl(postgres.port(), "postgres");
    }

    private static void assertOkLikeOpenssl(int port, String protocol) throws Exception {
        EndpointView e = endpoint(port, "mail.starttls.test");
        assertThat(e.endpoint().starttls().label()).isEqualTo(protocol);
        assertThat(e.status()).as(e.findings().toString() + e.unreachable()).isEqualTo(Status.OK);
        assertThat(e.served().orElseThrow().issuerCn()).isEqualTo("Mail Intermediate");
        assertThat(OpensslClient.verify(port, "mail.starttls.test", Optional.of(rootPem), Optional.of(protocol)).accepted()).isTrue();
    }

    @Test
    void theWrongStarttlsProtocolIsUnreachableWithWhatTheServerAnswered() {
        EndpointView e = snapshot.extraEndpoints().stream().filter(x -> x.endpoint().port() == smtp
                && x.endpoint().starttls() == dev.certops.config.Endpoint.StartTls.POP3).findFirst().orElseThrow();
        assertThat(e.status()).isEqualTo(Status.UNREACHABLE);
        assertThat(e.unreachable()).hasValueSatisfying(why -> assertThat(why)
                .contains("STARTTLS pop3: the server answered '220 mail.starttls.test ESMTP", "to the greeting (expected +OK) — is this the right port and protocol?"));
    }

    @Test
    void theBatchProbeSpeaksEveryDialogueAtOnceAndTheBlockingProbeReadsTheSameChain() throws Exception {
        TlsProbe probe = new TlsProbe(Duration.ofSeconds(2), Duration.ofSeconds(5), TlsProbe.Mode.CHAIN_ONLY);
        List<dev.certops.config.Endpoint> eps = List.of(
                new dev.certops.config.Endpoint("127.0.0.1", smtp, "mail.starttls.test", dev.certops.config.Endpoint.StartTls.SMTP),
                new dev.certops.config.Endpoint("127.0.0.1", imap, "mail.starttls.test", dev.certops.config.Endpoint.StartTls.IMAP),
                new dev.certops.config.Endpoint("127.0.0.1", pop3, "mail.starttls.test", dev.certops.config.Endpoint.StartTls.POP3),
                new dev.certops.config.Endpoint("127.0.0.1", ldap, "mail.starttls.test", dev.certops.config.Endpoint.StartTls.LDAP),
                new dev.certops.config.Endpoint("127.0.0.1", postgres.port(), "mail.starttls.test", dev.certops.config.Endpoint.StartTls.POSTGRES));
        var batch = probe.fetchAll(eps);
        for (var e : eps) {
            var served = TlsProbe.await(batch.get(e));
            assertThat(served.chain()).as(e.toString()).hasSize(2);
            assertThat(probe.fetch(e).chain()).as(e.toString()).isEqualTo(served.chain());
        }
    }

    @Test
    void postfixIsReadThroughSmtpStarttlsAndIsOkLikeOpensslSays() throws Exception {
        EndpointView e = endpoint(smtp, "mail.starttls.test");
        assertThat(e.status()).as(e.findings().toString() + e.unreachable()).isEqualTo(Status.OK);
        assertThat(e.served().orElseThrow().issuerCn()).isEqualTo("Mail Intermediate");
        assertThat(e.label()).isEqualTo("127.0.0.1:" + smtp);
        assertThat(OpensslClient.verify(smtp, "mail.starttls.test", Optional.of(rootPem), Optional.of("smtp")).accepted()).isTrue();
    }

    @Test
    void dovecotIsReadThroughImapStarttlsAndIsOkLikeOpensslSays() throws Exception {
        EndpointView e = endpoint(imap, "mail.starttls.test");
        assertThat(e.status()).as(e.findings().toString() + e.unreachable()).isEqualTo(Status.OK);
        assertThat(OpensslClient.verify(imap, "mail.starttls.test", Optional.of(rootPem), Optional.of("imap")).accepted()).isTrue();
    }

    @Test
    void aMailServerWhoseCertificateDoesNotCoverTheNameIsRejectedLikeOpensslSays() throws Exception {
        EndpointView e = endpoint(imap, "imap.other.test");
        assertThat(e.status()).isEqualTo(Status.REJECTED);
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("name-not-covered");
            assertThat(f.message()).contains("(STARTTLS imap)", "which does not cover imap.other.test");
        });
        assertThat(OpensslClient.verify(imap, "imap.other.test", Optional.of(rootPem), Optional.of("imap")).accepted()).isFalse();
    }

    @Test
    void aStarttlsEndpointWithoutAPortUsesTheProtocolsPort() throws Exception {
        var cfg = dev.certops.config.ConfigLoader.parse(dir.resolve("certops.yaml"), "endpoints:\n  - { host: mx.example.test, starttls: smtp }\n");
        assertThat(cfg.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.port()).isEqualTo(25);
            assertThat(e.starttls()).isEqualTo(dev.certops.config.Endpoint.StartTls.SMTP);
        });
    }

    @Test
    void anUnknownStarttlsProtocolIsRefusedWithTheAllowedOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.certops.config.ConfigLoader.parse(dir.resolve("certops.yaml"),
                "endpoints:\n  - { host: mx.example.test, starttls: xmpp }\n")).hasMessageContaining("'xmpp' is not a STARTTLS protocol — allowed: smtp, imap, pop3, ldap, postgres");
    }
}

package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;


import dev.certops.config.CertificateConfig;
import dev.certops.config.DeploymentConfig;
import dev.certops.config.SecretRef;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import dev.certops.testing.FreePort;
import dev.certops.testing.Poll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deploys to real Apache httpd, HAProxy, Postfix and Dovecot private instances on loopback over
 * the real sshd, each verified by handshake (STARTTLS for Postfix and Dovecot, by certops' probe and
 * compared with openssl s_client -starttls), and keystores read back with keytool.
 */
class ServicesDeployTest {
    @RegisterExtension static final DeployLabExtension LAB = new DeployLabExtension();
    private static DeployLab lab;
    private static Path dir;

    @BeforeAll
    static void lab() {
        lab = LAB.lab();
        dir = LAB.dir();
    }

    @Test
    void apacheServesTheNewCertificateAfterAGracefulReloadAndRollsBack() throws Exception {
        try (PrivateServer.Apache apache = new PrivateServer.Apache(dir.resolve("apache"), lab.certFolder("apache1", "www").resolve("live"))) {
            lab.addServerHost("apache1", "apache", List.of("www"), apache.test(), apache.reload());
            apache.start();
            lab.servedAt("www", apache.port);
            lab.awaitServedAt("www", lab.oldSha256());
            CertificateConfig www = lab.certificateServedAt("www", List.of(List.of("apache1")));
            DeployBundle next = lab.newVersion("www", "2");

            RolloutResult r = lab.deployerByCertificate().deploy(www, lab.hosts(), next, Set.of(), (h, s, w) -> { });

            assertThat(r.ok()).as(r.summary()).isTrue();
            assertThat(r.summary()).contains("every host verified");
            HostOutcome back = lab.deployerByCertificate().rollback(www, lab.hosts(), "apache1", (h, s, w) -> { });
            assertThat(back).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> assertThat(rb.restoredVerified()).as(rb.summary()).isTrue());
        }
    }

    @Test
    void haproxyGetsItsCombinedFileAndIsReloadedWithSf() throws Exception {
        try (PrivateServer.Haproxy haproxy = new PrivateServer.Haproxy(dir.resolve("haproxy"), lab.certFolder("lb1", "edge").resolve("live"))) {
            lab.addServerHost("lb1", "haproxy", List.of("edge"), haproxy.test(), haproxy.reload());
            haproxy.start();
            lab.servedAt("edge", haproxy.port);
            CertificateConfig edge = lab.certificateServedAt("edge", List.of(List.of("lb1")));
            DeployBundle next = lab.newVersion("edge", "2");

            RolloutResult r = lab.deployerByCertificate().deploy(edge, lab.hosts(), next, Set.of(), (h, s, w) -> { });

            assertThat(r.ok()).as(r.summary()).isTrue();
            assertThat(r.summary()).contains("every host verified");
            Path combined = lab.certFolder("lb1", "edge").resolve("live/combined.pem");
            assertThat(Files.readString(combined)).contains("BEGIN CERTIFICATE", "PRIVATE KEY");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(combined))).isEqualTo("rw-------");
        }
    }

    @Test
    void haproxyReloadWithSfKeepsAnEstablishedConnectionOnTheOldCertificateWhileNewConnectionsGetTheNewOne() throws Exception {
        try (LineEcho backend = new LineEcho();
             PrivateServer.Haproxy haproxy = new PrivateServer.Haproxy(dir.resolve("haproxy-tcp"), lab.certFolder("lb2", "db").resolve("live"), backend.port)) {
            lab.addServerHost("lb2", "haproxy", List.of("db"), haproxy.test(), haproxy.reload());
            haproxy.start();
            lab.servedAt("db", haproxy.port);
            long before = haproxy.pidNow();
            try (HeldConnection held = new HeldConnection(haproxy.port)) {
                assertThat(held.leafSha256).isEqualTo(lab.oldSha256());
                assertThat(held.echo("before the deploy")).isEqualTo("before the deploy");
                DeployBundle next = lab.newVersion("db", "2");

                RolloutResult r = lab.deployerByCertificate().deploy(lab.certificateServedAt("db", List.of(List.of("lb2"))), lab.hosts(), next,
                        Set.of(), (h, st, w) -> { });

                assertThat(r.ok()).as(r.summary()).isTrue();
                assertThat(r.summary()).contains("every host verified");
                assertThat(haproxy.pidNow()).as("a new process took the listener").isNotEqualTo(before);
                try (HeldConnection fresh = new HeldConnection(haproxy.port)) {
                    assertThat(fresh.leafSha256).as("a new connection gets the new certificate").isEqualTo(next.leafSha256());
                    assertThat(fresh.echo("new")).isEqualTo("new");
                }
                assertThat(held.echo("after the reload")).as("the established connection is still served, by the old process")
                        .isEqualTo("after the reload");
                assertThat(ProcessHandle.of(before)).as("the old process finishes its connections").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            }
            Poll.until(Duration.ofSeconds(15), () -> ProcessHandle.of(before).map(p -> !p.isAlive()).orElse(true),
                    "the old haproxy process to exit once its last connection closed");
        }
    }

    /** A client holding one TLS connection open through HAProxy (reads the served leaf without trusting it). */
    private static final class HeldConnection implements AutoCloseable {
        final SSLSocket socket;
        final String leafSha256;
        final BufferedReader in;

        HeldConnection(int port) throws Exception {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a) { } // the test reads what is served
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            leafSha256 = DeployBundle.sha256Hex((X509Certificate) socket.getSession().getPeerCertificates()[0]);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        String echo(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return in.readLine();
        }

        @Override
        public void close() throws IOException { socket.close(); }
    }

    /** A plain TCP backend on loopback that answers each line with the same line. */
    private static final class LineEcho implements AutoCloseable {
        final int port = FreePort.tcp();
        final ServerSocket server;

        LineEcho() throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket c = server.accept();
                        Thread echo = new Thread(() -> {
                            try (c; var r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                                for (String l; (l = r.readLine()) != null; ) c.getOutputStream().write((l + "\n").getBytes(StandardCharsets.UTF_8));
                            } catch (IOException ignored) {
                                // the client went away
                            }
                        });
                        echo.setDaemon(true);
                        echo.start();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "line-echo");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException { server.close(); }
    }

    @Test
    void postfixServesTheNewCertificateOverStartTls() throws Exception {
        try (PrivateServer.Postfix postfix = new PrivateServer.Postfix(dir.resolve("postfix"), lab.certFolder("mx1", "mail").resolve("live"))) {
            lab.addServerHost("mx1", "postfix", List.of("mail"), postfix.test(), postfix.reload());
            postfix.start();
            deployAndCheckStartTls("mx1", "mail", "smtp", postfix.port);
        }
    }

    @Test
    void dovecotServesTheNewCertificateOverStartTls() throws Exception {
        try (PrivateServer.Dovecot dovecot = new PrivateServer.Dovecot(dir.resolve("dovecot"), lab.certFolder("imap1", "imap").resolve("live"))) {
            lab.addServerHost("imap1", "dovecot", List.of("imap"), dovecot.test(), dovecot.reload());
            dovecot.start();
            deployAndCheckStartTls("imap1", "imap", "imap", dovecot.port);
        }
    }

    @Test
    void pkcs12AndJksKeystoresAreWrittenWithTheirPasswordAndReadBackByKeytool() throws Exception {
        lab.addServerHost("java1", "custom", List.of("kafka"), "true", "true");
        Files.createDirectories(lab.workspace().secretsDir());
        Files.writeString(lab.workspace().secretsDir().resolve("kafka-store"), "s3cret-store\n");
        CertificateConfig kafka = lab.certificateServedAt("kafka", List.of(List.of("java1")))
                .withDeployment(new DeploymentConfig(Optional.empty(), List.of("fullchain", "privkey", "pkcs12", "jks"), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.of(new SecretRef("secret:kafka-store")), Optional.of("kafka-broker")));
        kafka = new CertificateConfig(kafka.id(), kafka.names(), kafka.key(), kafka.challenge(), kafka.cas(), kafka.waves(), List.of(),
                kafka.profile(), kafka.reuseKey(), kafka.preferredChain(), kafka.renewBefore(), kafka.deployment());
        DeployBundle next = lab.newVersion("kafka", "2");

        RolloutResult r = lab.deployerByCertificate().deploy(kafka, lab.hosts(), next, Set.of(), (h, s, w) -> { });

        assertThat(r.ok()).as(r.summary()).isTrue();
        Path live = lab.certFolder("java1", "kafka").resolve("live");
        String fingerprint = colons(next.leafSha256());
        for (String[] store : new String[][] {{"keystore.p12", "PKCS12"}, {"keystore.jks", "JKS"}}) {
            String out = run("keytool", "-list", "-v", "-keystore", live.resolve(store[0]).toString(), "-storetype", store[1], "-storepass", "s3cret-store");
            assertThat(out).as(store[0]).contains("Alias name: kafka-broker", "PrivateKeyEntry", "Certificate chain length: 2", fingerprint);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(live.resolve(store[0])))).isEqualTo("rw-------");
        }
        assertThat(String.join("\n", lab.history().query(dev.certops.history.EventQuery.all()).stream().map(e -> e.details()).toList())).doesNotContain("s3cret-store");
    }

    private void deployAndCheckStartTls(String hostId, String certificateId, String protocol, int port) throws Exception {
        Poll.until(Duration.ofSeconds(10), () -> lab.oldSha256().equals(startTlsSha256(protocol, port)), "old certificate served over STARTTLS");
        // the endpoint speaks the mail protocol first: certops' verification upgrades it with STARTTLS before the handshake
        dev.certops.config.Endpoint mail = new dev.certops.config.Endpoint("127.0.0.1", port, "localhost",
                dev.certops.config.Endpoint.StartTls.valueOf(protocol.toUpperCase(java.util.Locale.ROOT)));
        CertificateConfig overStartTls = new CertificateConfig(certificateId, List.of("localhost"), dev.certops.crypto.KeyType.values()[0],
                Optional.empty(), List.of(), List.of(List.of(hostId)), List.of(mail), Optional.empty(), false, Optional.empty(), Optional.empty());
        DeployBundle next = lab.newVersion(certificateId, "2");

        RolloutResult r = lab.deployerByCertificate().deploy(overStartTls, lab.hosts(), next, Set.of(), (h, s, w) -> { });

        assertThat(r.ok()).as(r.summary()).isTrue();
        assertThat(r.summary()).as("verified by certops' own STARTTLS handshake").contains("every host verified");
        // and the field's verdict: openssl sees the new certificate over STARTTLS too
        Poll.until(Duration.ofSeconds(15), () -> next.leafSha256().equals(startTlsSha256(protocol, port)), "new certificate served over STARTTLS " + protocol);
        HostOutcome back = lab.deployerByCertificate().rollback(overStartTls, lab.hosts(), hostId, (h, s, w) -> { });
        assertThat(back).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> assertThat(rb.restoredVerified()).as(rb.summary()).isTrue());
        Poll.until(Duration.ofSeconds(15), () -> lab.oldSha256().equals(startTlsSha256(protocol, port)), "old certificate served again over STARTTLS " + protocol);
    }

    /** The SHA-256 of the leaf openssl s_client -starttls sees, lower-case hex without colons. */
    private static String startTlsSha256(String protocol, int port) throws IOException {
        String out = run("sh", "-c", "openssl s_client -starttls \"$1\" -connect \"$2\" -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256",
                "sh", protocol, "127.0.0.1:" + port);
        int eq = out.indexOf('=');
        return eq < 0 ? "" : out.substring(eq + 1).strip().replace(":", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static String colons(String hex) {
        String up = hex.toUpperCase(java.util.Locale.ROOT);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < up.length(); i += 2) b.append(i == 0 ? "" : ":").append(up, i, i + 2);
        return b.toString();
    }

    private static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}

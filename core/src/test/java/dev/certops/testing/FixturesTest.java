package dev.certops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Endpoint;
import dev.certops.scan.TlsProbe;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixtures start the real components and stop them by handle. */
class FixturesTest {
    @TempDir Path dir;

    @Test
    void pebbleServesItsDirectoryTrustedOnlyThroughItsOwnAnchorAndComesBackOnTheSamePort() throws Exception {
        try (PebbleFixture pebble = PebbleFixture.start(dir.resolve("pebble"))) {
            URI directory = pebble.directoryUrl();
            HttpResponse<String> r = pebble.httpClient().send(HttpRequest.newBuilder(directory).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).contains("newOrder", "newAccount");
            pebble.stop();
            assertThat(Poll.accepts(pebble.port())).isFalse();
            pebble.start();
            assertThat(pebble.directoryUrl()).isEqualTo(directory);
            assertThat(pebble.rootsPem()).contains("BEGIN CERTIFICATE");
        }
    }

    @Test
    void nginxServesTheConfiguredCertificateAndTheNewOneAfterReload() throws Exception {
        TestTls first = TestTls.create(dir.resolve("first"));
        TestTls second = TestTls.create(dir.resolve("second"));
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.copy(first.certPem(), live.resolve("cert.pem"));
        Files.copy(first.keyPem(), live.resolve("key.pem"));
        int port = FreePort.tcp();
        try (NginxFixture nginx = NginxFixture.in(dir.resolve("nginx")).addServer("localhost", port, live.resolve("cert.pem"), live.resolve("key.pem"))) {
            nginx.start();
            TlsProbe probe = TlsProbe.withDefaults();
            Endpoint ep = new Endpoint("127.0.0.1", port, "localhost");
            BigInteger firstSerial = probe.fetch(ep).leaf().getSerialNumber();
            Files.copy(second.certPem(), live.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.keyPem(), live.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
            assertThat(probe.fetch(ep).leaf().getSerialNumber()).as("not reloaded yet").isEqualTo(firstSerial);
            nginx.reload();
            Poll.until(Duration.ofSeconds(10), () -> !probe.fetch(ep).leaf().getSerialNumber().equals(firstSerial), "the new certificate is served");
        }
    }

    @Test
    void nginxConfigTestFailsOnABrokenConfiguration() throws Exception {
        try (NginxFixture nginx = NginxFixture.in(dir.resolve("nginx"))) {
            nginx.writeConfig("events {}\nhttp { server { listen 127.0.0.1:1 ssl; ssl_certificate /nonexistent.pem; } \n");
            NginxFixture.ExecOutcome r = nginx.configTest();
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.output()).containsIgnoringCase("nginx");
        }
    }

    @Test
    void sshdAcceptsTheUserKeyWithStrictHostKeysAndRefusesAfterTheHostKeyChanged() throws Exception {
        try (SshdFixture sshd = SshdFixture.start(dir.resolve("sshd"))) {
            Path knownHosts = sshd.writeKnownHosts(dir.resolve("known_hosts"));
            assertThat(ssh(sshd, knownHosts)).isZero();
            assertThat(sshd.hostKeyFingerprintSha256()).startsWith("SHA256:");
            sshd.regenerateHostKey();
            assertThat(ssh(sshd, knownHosts)).isNotZero();
        }
    }

    private static int ssh(SshdFixture sshd, Path knownHosts) throws Exception {
        Process p = new ProcessBuilder(List.of("ssh", "-i", sshd.userKey().toString(), "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-p", String.valueOf(sshd.port()),
                sshd.user() + "@127.0.0.1", "true")).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}

package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsServer;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.testing.PebbleFixture;
import dev.certops.testing.TestTls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARI (RFC 9773) against a small HTTPS fixture serving a recorded directory and renewalInfo answer
 * (Pebble 2.4 has no ARI), and a real Pebble that offers none.
 */
class RenewalInformationTest {
    @TempDir Path dir;

    private static final String WINDOW = "{\"suggestedWindow\":{\"start\":\"2026-12-01T00:00:00Z\",\"end\":\"2026-12-03T00:00:00Z\"},"
            + "\"explanationURL\":\"https://ca.example/ari-explained\"}";

    @Test
    void fetchesTheSuggestedWindowForACertificateByItsAriId() throws Exception {
        TestTls tls = TestTls.create(dir.resolve("tls"));
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpsServer server = https(tls);
        String base = "https://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            String body = ex.getRequestURI().getPath().equals("/dir")
                    ? "{\"newNonce\":\"" + base + "/nonce\",\"newAccount\":\"" + base + "/acct\",\"newOrder\":\"" + base + "/order\",\"renewalInfo\":\"" + base + "/renewal-info\"}"
                    : WINDOW;
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Retry-After", "21600");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            var ca = CertificateBuilder.ca("ARI CA").build();
            X509Certificate cert = CertificateBuilder.leaf("api.example.test").signedBy(ca).build().certificate();
            var window = new RenewalInformation(Optional.of(tls.caPem())).window(URI.create(base + "/dir"), () -> cert).orElseThrow();
            assertThat(window.start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(window.end()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
            assertThat(window.explanation()).contains(URI.create("https://ca.example/ari-explained"));
            assertThat(window.begun(Instant.parse("2026-12-02T00:00:00Z"))).isTrue();
            String ariId = RenewalInformation.ariId(cert);
            assertThat(ariId).contains(".");
            assertThat(paths).contains("/renewal-info/" + ariId);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCaWithoutRenewalInformationHasNoWindow() throws Exception {
        try (PebbleFixture pebble = PebbleFixture.start(dir.resolve("pebble"))) {
            X509Certificate cert = CertificateBuilder.leaf("api.example.test").signedBy(CertificateBuilder.ca("x").build()).build().certificate();
            assertThat(new RenewalInformation(Optional.of(pebble.trustAnchorPem())).window(pebble.directoryUrl(), () -> cert)).isEmpty();
        }
    }

    @Test
    void aCaThatCannotBeReachedIsUnreachableNotWithoutWindow() throws Exception {
        X509Certificate cert = CertificateBuilder.leaf("api.example.test").signedBy(CertificateBuilder.ca("x").build()).build().certificate();
        URI closed = URI.create("https://127.0.0.1:" + dev.certops.testing.FreePort.tcp() + "/dir");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RenewalInformation(Optional.empty()).window(closed, () -> cert))
                .isInstanceOf(RenewalInformation.Unreachable.class);
    }

    @Test
    void aDirectoryThatIsNotJsonIsAnAcmeErrorNamingTheDirectory() throws Exception {
        TestTls tls = TestTls.create(dir.resolve("tls"));
        HttpsServer server = https(tls);
        server.createContext("/", ex -> {
            byte[] b = "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            URI directory = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/dir");
            X509Certificate cert = CertificateBuilder.leaf("api.example.test").signedBy(CertificateBuilder.ca("x").build()).build().certificate();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RenewalInformation(Optional.of(tls.caPem())).window(directory, () -> cert))
                    .isInstanceOf(org.shredzone.acme4j.exception.AcmeException.class).hasMessageContaining(directory.toString());
        } finally {
            server.stop(0);
        }
    }

    /** A CA whose directory answers {@code directoryStatus} (200: a directory offering ARI) and renewalInfo {@code ariStatus}. */
    private Optional<RenewalInformation.Window> windowFrom(int directoryStatus, int ariStatus, String ariContentType, String ariBody)
            throws Exception {
        TestTls tls = TestTls.create(dir.resolve("tls"));
        HttpsServer server = https(tls);
        String base = "https://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", ex -> {
            boolean directory = ex.getRequestURI().getPath().equals("/dir");
            int status = directory ? directoryStatus : ariStatus;
            String body = directory && status == 200
                    ? "{\"newNonce\":\"" + base + "/nonce\",\"newAccount\":\"" + base + "/acct\",\"newOrder\":\"" + base
                            + "/order\",\"renewalInfo\":\"" + base + "/renewal-info\"}"
                    : directory ? "down for maintenance" : ariBody;
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", directory ? "application/json" : ariContentType);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            X509Certificate cert = CertificateBuilder.leaf("api.example.test").signedBy(CertificateBuilder.ca("x").build()).build().certificate();
            return new RenewalInformation(Optional.of(tls.caPem())).window(URI.create(base + "/dir"), () -> cert);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDirectoryAnsweringServiceUnavailableIsUnreachable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> windowFrom(503, 200, "application/json", WINDOW))
                .isInstanceOf(RenewalInformation.Unreachable.class).hasMessageContaining("HTTP 503");
    }

    @Test
    void aDirectoryAnsweringTooManyRequestsIsUnreachable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> windowFrom(429, 200, "application/json", WINDOW))
                .isInstanceOf(RenewalInformation.Unreachable.class).hasMessageContaining("HTTP 429");
    }

    @Test
    void aRenewalInfoEndpointAnsweringAServerErrorIsUnreachable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> windowFrom(200, 500, "text/plain", "oops"))
                .isInstanceOf(RenewalInformation.Unreachable.class);
    }

    @Test
    void aRenewalInfoEndpointThatRateLimitsIsUnreachable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> windowFrom(200, 429, "application/problem+json",
                        "{\"type\":\"urn:ietf:params:acme:error:rateLimited\",\"detail\":\"slow down\",\"status\":429}"))
                .isInstanceOf(RenewalInformation.Unreachable.class);
    }

    @Test
    void aRenewalInfoEndpointThatRejectsTheRequestIsStillAnAcmeError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> windowFrom(200, 400, "application/problem+json",
                        "{\"type\":\"urn:ietf:params:acme:error:malformed\",\"detail\":\"bad id\",\"status\":400}"))
                .isInstanceOf(org.shredzone.acme4j.exception.AcmeException.class)
                .isNotInstanceOf(RenewalInformation.Unreachable.class);
    }

    private static HttpsServer https(TestTls tls) throws Exception { return dev.certops.testing.TestHttps.server(tls); }
}

package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsServer;
import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.testing.FreePort;
import dev.certops.testing.TestHttps;
import dev.certops.testing.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS a CA connection uses, against a real HTTPS server: a certificate for another name is refused with what it is
 * for (not as an untrusted issuer), and a chain nobody trusts is named by its issuer.
 */
class CaTlsTest {
    @TempDir Path dir;

    private static Throwable get(SSLContext tls, int port) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/dir")).timeout(Duration.ofSeconds(10)).build();
        try {
            client.send(req, HttpResponse.BodyHandlers.discarding());
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void aCertificateForAnotherNameSaysWhatItIsForAndIsNotCalledUntrusted() throws Exception {
        TestTls elsewhere = TestTls.create(dir.resolve("ca"), "DNS:acme.other.example");
        HttpsServer server = TestHttps.server(elsewhere);
        server.start();
        try {
            Throwable e = get(CaTls.sslContext(Optional.of(elsewhere.caPem())), server.getAddress().getPort());
            assertThat(e).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("the server's certificate is not for 127.0.0.1 (it is for acme.other.example)");
            assertThat(CaTls.untrusted(e)).isEmpty();
            assertThat(CaTls.wrongName(e)).hasValue("the CA's TLS certificate is not for 127.0.0.1 (it is for acme.other.example): use a name it is for"
                    + " in this CA's directory URL in certops.yaml, or have the CA's operator serve a certificate that names 127.0.0.1");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void configCheckAndIssueSayTheUrlIsForAnotherNameAndNeitherRetriesNorFailsOver() throws Exception {
        TestTls elsewhere = TestTls.create(dir.resolve("ca"), "DNS:acme.other.example");
        HttpsServer server = TestHttps.server(elsewhere);
        AtomicInteger asked = new AtomicInteger();
        server.createContext("/", ex -> {
            asked.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/dir";
            String ws = dir.resolve("ws").toString();
            assertThat(CliRun.run("init", "--workspace", ws).exitCode()).isZero();
            Files.writeString(Path.of(ws, "certops.yaml"), """
                    cas:
                      - { id: primary, directory: "%s", trust: %s }
                      - { id: secondary, directory: "https://127.0.0.1:%d/dir" }
                    dns:
                      - { id: lab, type: challtestsrv, url: "http://127.0.0.1:%d" }
                    certificates:
                      - { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab }, cas: [primary, secondary] }
                    """.formatted(url, elsewhere.caPem(), FreePort.tcp(), FreePort.tcp()));

            CliRun check = CliRun.run("config", "check", "--workspace", ws, "--timeout", "5");
            assertThat(check.out()).as(check.out() + check.err()).contains("✘ CA primary (" + url + "): TLS for another name: the CA's TLS certificate is not for"
                    + " 127.0.0.1 (it is for acme.other.example): use a name it is for in this CA's directory URL in certops.yaml");

            CliRun issue = CliRun.run("issue", "api", "--workspace", ws);
            assertThat(issue.exitCode()).as(issue.out() + issue.err()).isEqualTo(ExitCodes.CONFIG);
            assertThat(issue.out()).contains("- primary: the CA's TLS certificate is not for 127.0.0.1 (it is for acme.other.example)",
                    "Next: correct that CA's directory URL in certops.yaml to a name its TLS certificate is for")
                    .doesNotContain("secondary:", "retrying");
            assertThat(asked.get()).as("no request got past TLS").isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aChainNoAnchorVouchesForIsNamedByItsIssuer() throws Exception {
        TestTls served = TestTls.create(dir.resolve("served"));
        TestTls other = TestTls.create(dir.resolve("other"));
        HttpsServer server = TestHttps.server(served);
        server.start();
        try {
            Throwable e = get(CaTls.sslContext(Optional.of(other.caPem())), server.getAddress().getPort());
            assertThat(e).isInstanceOf(SSLHandshakeException.class);
            assertThat(CaTls.untrusted(e)).hasValueSatisfying(m -> assertThat(m).startsWith("the CA's TLS certificate is issued by CN=certops test CA, which is not trusted"));
        } finally {
            server.stop(0);
        }
    }
}

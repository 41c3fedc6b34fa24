package dev.certops.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsServer;
import dev.certops.testing.TestHttps;
import dev.certops.testing.TestTls;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * certops checks the name of an HTTPS server's certificate itself (the JDK's check reads Java's whole trust store
 * first). Its verdict must be the JDK's — asked through a real handshake against a local HTTPS server — or stricter.
 */
class ServerIdentityTest {
    private static final CertificateBuilder.Issued CA = CertificateBuilder.ca("certops name test CA").build();

    private static X509Certificate leaf(String... names) {
        return CertificateBuilder.leaf(names).signedBy(CA).build().certificate();
    }

    @Test
    void anExactNameMatchesWhateverItsCase() {
        assertThatCode(() -> ServerIdentity.check("acme.example.com", leaf("www.example.com", "ACME.example.com"))).doesNotThrowAnyException();
        assertThatCode(() -> ServerIdentity.check("Acme.Example.COM", leaf("acme.example.com"))).doesNotThrowAnyException();
    }

    @Test
    void aWildcardCoversExactlyOneLeftMostLabel() throws Exception {
        X509Certificate wild = leaf("*.example.com");
        ServerIdentity.check("acme.example.com", wild);
        assertThatThrownBy(() -> ServerIdentity.check("a.b.example.com", wild)).isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> ServerIdentity.check("example.com", wild)).isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> ServerIdentity.check("acme.example.com", leaf("a*.example.com")))
                .as("a partial wildcard: the JDK accepts it, certops does not").isInstanceOf(CertificateException.class);
    }

    @Test
    void aWildcardOverAPublicSuffixCoversNothingWhoeverIssuedIt() {
        assertThatThrownBy(() -> ServerIdentity.check("shop.co.uk", leaf("*.co.uk"))).isInstanceOf(CertificateException.class)
                .hasMessage("the server's certificate is not for shop.co.uk (it is for *.co.uk)");
        assertThatThrownBy(() -> ServerIdentity.check("example.com", leaf("*.com"))).isInstanceOf(CertificateException.class);
        assertThat(ServerIdentity.overPublicSuffix("*.example.co.uk")).isFalse();
        assertThat(ServerIdentity.overPublicSuffix("*.lab.test")).isFalse();
    }

    @Test
    void anAddressMatchesTheCertificatesAddressesOnly() throws Exception {
        ServerIdentity.check("127.0.0.1", leaf("localhost", "127.0.0.1"));
        ServerIdentity.check("[::1]", leaf("0:0:0:0:0:0:0:1"));
        ServerIdentity.check("::1", leaf("::1"));
        assertThatThrownBy(() -> ServerIdentity.check("127.0.0.2", leaf("localhost", "127.0.0.1")))
                .hasMessage("the server's certificate is not for 127.0.0.2 (it is for localhost, 127.0.0.1)");
        assertThatThrownBy(() -> ServerIdentity.check("127.0.0.1", leaf("localhost")))
                .hasMessage("the server's certificate is not for 127.0.0.1 (it is for localhost)");
    }

    @Test
    void theCommonNameCountsOnlyWhenTheCertificateHasNoDnsNames() throws Exception {
        X509Certificate cnOnly = CertificateBuilder.leaf().commonName("acme.internal.example").signedBy(CA).build().certificate();
        ServerIdentity.check("acme.internal.example", cnOnly);
        assertThatThrownBy(() -> ServerIdentity.check("other.internal.example", cnOnly))
                .hasMessage("the server's certificate is not for other.internal.example (it is for acme.internal.example, its common name)");
        X509Certificate withSans = CertificateBuilder.leaf("www.internal.example").commonName("acme.internal.example").signedBy(CA).build().certificate();
        assertThatThrownBy(() -> ServerIdentity.check("acme.internal.example", withSans)).isInstanceOf(CertificateException.class);
    }

    @Test
    void aRefusalListsAFewOfTheServersNamesAndNoControlCharacters() {
        String[] many = new String[12];
        for (int i = 0; i < many.length; i++) many[i] = "n" + i + ".example.com";
        assertThatThrownBy(() -> ServerIdentity.check("acme.example.com", leaf(many)))
                .hasMessage("the server's certificate is not for acme.example.com (it is for n0.example.com, n1.example.com, n2.example.com,"
                        + " n3.example.com, n4.example.com, n5.example.com, n6.example.com, n7.example.com and 4 more)");
        X509Certificate hostile = CertificateBuilder.leaf().commonName("evil\u001b[2J.example").signedBy(CA).build().certificate();
        assertThatThrownBy(() -> ServerIdentity.check("acme.example.com", hostile)).satisfies(e -> assertThat(e.getMessage())
                .doesNotContain("\u001b").contains("it is for evil?[2J.example, its common name"));
    }

    @Test
    void anUnknownServerNameIsRefused() {
        assertThatThrownBy(() -> ServerIdentity.check(" ", leaf("localhost"))).hasMessageContaining("the server's name is unknown");
    }

    // --- the field's verdict: Java's HTTP client, a real handshake, the JDK's check beside certops' ---------------------

    @Test
    void overARealHandshakeTheVerdictIsTheJdksForTheNamesAndTheChain(@TempDir Path dir) throws Exception {
        TestTls good = TestTls.create(dir.resolve("good"), "DNS:localhost,IP:127.0.0.1");
        TestTls elsewhere = TestTls.create(dir.resolve("elsewhere"), "DNS:acme.other.example");
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            assertThat(fetch(good, good.caPem(), host, true)).as("certops, " + host).isEqualTo("ok");
            assertThat(fetch(good, good.caPem(), host, false)).as("the JDK, " + host).isEqualTo("ok");
            assertThat(fetch(elsewhere, elsewhere.caPem(), host, true)).as("certops, wrong name, " + host)
                    .startsWith("refused: ").contains("the server's certificate is not for " + host + " (it is for acme.other.example)");
            assertThat(fetch(elsewhere, elsewhere.caPem(), host, false)).as("the JDK, wrong name, " + host).startsWith("refused: ");
            assertThat(fetch(good, elsewhere.caPem(), host, true)).as("certops, untrusted chain, " + host).startsWith("refused: ").contains("PKIX");
            assertThat(fetch(good, elsewhere.caPem(), host, false)).as("the JDK, untrusted chain, " + host).startsWith("refused: ").contains("PKIX");
        }
    }

    @Test
    void overASocketTooTheVerdictIsTheJdks(@TempDir Path dir) throws Exception {
        TestTls good = TestTls.create(dir.resolve("good"), "DNS:localhost,IP:127.0.0.1");
        TestTls elsewhere = TestTls.create(dir.resolve("elsewhere"), "DNS:acme.other.example");
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            for (boolean namesHere : new boolean[] {true, false}) {
                String who = (namesHere ? "certops, " : "the JDK, ") + host;
                assertThat(fetchOverSocket(good, good.caPem(), host, namesHere)).as(who).isEqualTo("ok");
                assertThat(fetchOverSocket(elsewhere, elsewhere.caPem(), host, namesHere)).as(who + ", wrong name").startsWith("refused: ");
                assertThat(fetchOverSocket(good, elsewhere.caPem(), host, namesHere)).as(who + ", untrusted chain").startsWith("refused: ").contains("PKIX");
            }
            assertThat(fetchOverSocket(elsewhere, elsewhere.caPem(), host, true))
                    .contains("the server's certificate is not for " + host + " (it is for acme.other.example)");
        }
    }

    private static SSLContext clientTls(Path ca, boolean namesHere) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", PemReader.readCertificates(ca).get(0));
        X509ExtendedTrustManager jdks = TrustAnchors.trustManager(anchors);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {namesHere ? ServerIdentity.checkedHere(jdks) : jdks}, null);
        return tls;
    }

    private static HttpsServer serving(TestTls served) throws Exception {
        HttpsServer server = TestHttps.server(served);
        server.createContext("/", ex -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }

    /** As {@link #fetch}, with {@code HttpsURLConnection} (an SSLSocket) and its default host name verifier. */
    private static String fetchOverSocket(TestTls served, Path ca, String host, boolean namesHere) throws Exception {
        HttpsServer server = serving(served);
        try {
            HttpsURLConnection c = (HttpsURLConnection) URI.create("https://" + host + ":" + server.getAddress().getPort() + "/").toURL().openConnection();
            c.setSSLSocketFactory(clientTls(ca, namesHere).getSocketFactory());
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (SSLHandshakeException e) {
                return "refused: " + Optional.ofNullable(e.getCause()).map(Throwable::getMessage).orElse(e.getMessage()) + " / " + e.getMessage();
            } finally {
                c.disconnect();
            }
        } finally {
            server.stop(0);
        }
    }

    /** One GET from an HTTPS server presenting {@code served}'s certificate to a client trusting {@code ca}: "ok", or "refused: " and why. */
    private static String fetch(TestTls served, Path ca, String host, boolean namesHere) throws Exception {
        HttpsServer server = serving(served);
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(clientTls(ca, namesHere)).connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create("https://" + host + ":" + server.getAddress().getPort() + "/");
            try {
                return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (SSLHandshakeException e) {
                return "refused: " + Optional.ofNullable(e.getCause()).map(Throwable::getMessage).orElse(e.getMessage()) + " / " + e.getMessage();
            }
        } finally {
            server.stop(0);
        }
    }
}

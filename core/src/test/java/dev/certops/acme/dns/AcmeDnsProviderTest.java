package dev.certops.acme.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.certops.config.DnsConfig;
import dev.certops.testing.BindFixture;
import dev.certops.testing.BindFixture.Zone;
import dev.certops.testing.FreePort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An acme-dns account as the target of CNAME delegation: a real BIND holds
 * {@code _acme-challenge.www.example.test. CNAME SUB.auth.acme-dns.test.}, and the update goes to a
 * local server that follows acme-dns's documented API (https://github.com/joohoi/acme-dns#api:
 * {@code POST /update} with {@code X-Api-User}, {@code X-Api-Key} and {@code {"subdomain","txt"}},
 * answering {@code {"txt": ...}}, 401 {@code {"error":"forbidden"}}, 400 {@code {"error":"bad_txt"}}
 * for a value that is not 43 characters).
 */
class AcmeDnsProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "c36f50e8-4632-44f0-83fe-e070fef28a10";
    private static final String PASSWORD = "htB9mR9DYgcu9bX_afHF62erXaH2TS7bg9KW3F7Z";
    private static final String SUB = "8e5700ea-a4bf-41c7-8a77-e990661dcc6a";
    private static final String DIGEST = "LPsIwTo7o8BoG0-vjCyGQGBWSVIPxI-i_X336eUOQZo";
    @TempDir static Path dir;
    static BindFixture bind;
    static HttpServer acmeDns;
    static final List<String> txt = new CopyOnWriteArrayList<>();

    @BeforeAll static void start() throws Exception {
        bind = BindFixture.primary(Files.createDirectories(dir.resolve("bind")), "127.0.0.1", FreePort.tcpAndUdp(),
                List.of(new Zone("example.test", List.of("_acme-challenge.www IN CNAME " + SUB + ".auth.acme-dns.test.")),
                        new Zone("auth.acme-dns.test", List.of()))); // acme-dns's own DNS side, which this stand-in does not run
        acmeDns = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        acmeDns.createContext("/update", AcmeDnsProviderTest::update);
        acmeDns.start();
    }

    @AfterAll static void stop() {
        if (acmeDns != null) acmeDns.stop(0);
        if (bind != null) bind.close();
    }

    private static void update(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode body = JSON.readTree(ex.getRequestBody());
            if (!USER.equals(ex.getRequestHeaders().getFirst("X-Api-User")) || !PASSWORD.equals(ex.getRequestHeaders().getFirst("X-Api-Key"))) {
                ApiStub.reply(ex, 401, "application/json", "{\"error\": \"forbidden\"}".getBytes(StandardCharsets.UTF_8));
            } else if (!SUB.equals(body.path("subdomain").asText())) {
                ApiStub.reply(ex, 400, "application/json", "{\"error\": \"bad_subdomain\"}".getBytes(StandardCharsets.UTF_8));
            } else if (body.path("txt").asText().length() != 43) {
                ApiStub.reply(ex, 400, "application/json", "{\"error\": \"bad_txt\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                txt.add(body.path("txt").asText());
                ApiStub.reply(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("txt", body.path("txt").asText())));
            }
        }
    }

    private static DnsRouting routing(String password) {
        List<DnsConfig> providers = List.of(
                new DnsConfig("fleet", "rfc2136", Map.of("server", bind.hostPort(), "tsigKeyName", BindFixture.KEY_NAME, "tsigSecret", "secret:tsig"), 1),
                new DnsConfig("acmedns", "acme-dns", Map.of("url", "http://127.0.0.1:" + acmeDns.getAddress().getPort(), "username", USER,
                        "password", "secret:acme-dns", "subdomain", SUB, "fulldomain", SUB + ".auth.acme-dns.test"), 2));
        return new DnsRouting(providers, "fleet", n -> (n.equals("tsig") ? bind.tsigSecret() : password).getBytes(StandardCharsets.UTF_8),
                Resolvers.of(List.of(bind.hostPort())), Clock.systemUTC());
    }

    @Test
    void theCnameToTheAccountsFulldomainRoutesTheUpdateToAcmeDns() throws Exception {
        DnsRouting.Route route = routing(PASSWORD).route("_acme-challenge.www.example.test.");

        route.provider().present(route.target(), DIGEST);

        assertThat(route.describe()).isEqualTo("_acme-challenge.www.example.test. → " + SUB + ".auth.acme-dns.test. (written by dns provider 'acmedns')");
        assertThat(txt).contains(DIGEST);
    }

    @Test
    void aRejectedPasswordIsReportedWithoutIt() throws Exception {
        DnsRouting.Route route = routing("wrong-password-123").route("_acme-challenge.www.example.test.");

        assertThatThrownBy(() -> route.provider().present(route.target(), DIGEST))
                .hasMessageStartingWith("acme-dns: POST /update answered HTTP 401: forbidden; check 'username' and the secret named by 'password'")
                .hasMessageNotContaining("wrong-password-123");
    }

    @Test
    void aNameThatIsNotTheAccountsFulldomainIsRefused() throws Exception {
        DnsProvider p = DnsProviders.build(new DnsConfig("acmedns", "acme-dns", Map.of("url", "http://127.0.0.1:1", "username", USER,
                "password", "secret:acme-dns", "subdomain", SUB, "fulldomain", SUB + ".auth.acme-dns.test"), 2), n -> PASSWORD.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> p.present("_acme-challenge.www.example.test.", DIGEST))
                .hasMessage("acme-dns: _acme-challenge.www.example.test. is not this account's fulldomain " + SUB
                        + ".auth.acme-dns.test (dns provider 'acmedns'); make _acme-challenge.NAME a CNAME to " + SUB + ".auth.acme-dns.test.");
    }
}

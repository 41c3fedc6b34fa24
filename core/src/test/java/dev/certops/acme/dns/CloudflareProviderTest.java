package dev.certops.acme.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.certops.config.DnsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Cloudflare provider against a local HTTP server that follows Cloudflare's published API v4
 * documents — Cloudflare itself cannot be reached from here; {@code certops dns test} is the check
 * against a real account. What the server implements, and where it is written down:
 * <ul>
 *   <li>API tokens as {@code Authorization: Bearer TOKEN}; a bad token answers 403 with
 *       {@code {"success":false,"errors":[{"code":9109,"message":"Invalid access token"}]}} —
 *       https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/ and
 *       https://developers.cloudflare.com/fundamentals/api/troubleshooting/</li>
 *   <li>{@code GET /zones?name=example.com}: the envelope {@code success, errors, messages, result,
 *       result_info{page, per_page, count, total_count, total_pages}} —
 *       https://developers.cloudflare.com/api/resources/zones/methods/list/</li>
 *   <li>{@code POST /zones/{zone_id}/dns_records} with {@code type, name, content, ttl}; an identical record
 *       answers 400 with error code 81058 "An identical record already exists." —
 *       https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/create/ ;
 *       TXT content as quoted character strings — https://developers.cloudflare.com/dns/manage-dns-records/reference/dns-record-types/#txt</li>
 *   <li>{@code GET /zones/{zone_id}/dns_records?type=TXT&name=...&page=N&per_page=M} (per_page default 100),
 *       paged through {@code result_info.total_pages} —
 *       https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/</li>
 *   <li>{@code DELETE /zones/{zone_id}/dns_records/{dns_record_id}} answering {@code {"result":{"id":...}}} —
 *       https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/delete/</li>
 * </ul>
 */
class CloudflareProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "cf-test-token-" + UUID.randomUUID();
    private static final String ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";
    static HttpServer server;
    static final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();
    static final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/client/v4/", CloudflareProviderTest::handle);
        server.start();
    }

    @AfterAll static void stop() { server.stop(0); }

    @BeforeEach void clear() {
        records.clear();
        requests.clear();
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring("/client/v4".length());
            Map<String, String> q = ApiStub.query(ex.getRequestURI().getRawQuery());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + path + " " + q + " " + body);
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 403, Map.of("success", false, "errors", List.of(Map.of("code", 9109, "message", "Invalid access token")),
                        "messages", List.of(), "result", List.of()));
                return;
            }
            String method = ex.getRequestMethod();
            if (method.equals("GET") && path.equals("/zones")) {
                List<Map<String, Object>> zones = "example.com".equals(q.get("name")) ? List.of(Map.of("id", ZONE_ID, "name", "example.com")) : List.of();
                reply(ex, 200, envelope(zones, 1, 20, zones.size()));
            } else if (method.equals("POST") && path.equals("/zones/" + ZONE_ID + "/dns_records")) {
                JsonNode r = JSON.readTree(body);
                if (!ex.getRequestHeaders().getFirst("Content-Type").startsWith("application/json")) {
                    reply(ex, 400, error(6003, "Invalid request headers"));
                    return;
                }
                boolean identical = records.stream().anyMatch(x -> x.get("name").equals(r.path("name").asText())
                        && x.get("type").equals(r.path("type").asText()) && x.get("content").equals(r.path("content").asText()));
                if (identical) {
                    reply(ex, 400, error(81058, "An identical record already exists."));
                    return;
                }
                Map<String, Object> rec = new LinkedHashMap<>(Map.of("id", UUID.randomUUID().toString().replace("-", ""), "type", r.path("type").asText(),
                        "name", r.path("name").asText(), "content", r.path("content").asText(), "ttl", r.path("ttl").asInt(), "zone_id", ZONE_ID));
                records.add(rec);
                reply(ex, 200, Map.of("success", true, "errors", List.of(), "messages", List.of(), "result", rec));
            } else if (method.equals("GET") && path.equals("/zones/" + ZONE_ID + "/dns_records")) {
                int perPage = Integer.parseInt(q.getOrDefault("per_page", "100"));
                int page = Integer.parseInt(q.getOrDefault("page", "1"));
                List<Map<String, Object>> all = records.stream().filter(x -> (!q.containsKey("type") || x.get("type").equals(q.get("type")))
                        && (!q.containsKey("name") || x.get("name").equals(q.get("name")))).toList();
                List<Map<String, Object>> slice = all.subList(Math.min(all.size(), (page - 1) * perPage), Math.min(all.size(), page * perPage));
                reply(ex, 200, envelope(slice, page, perPage, all.size()));
            } else if (method.equals("DELETE") && path.startsWith("/zones/" + ZONE_ID + "/dns_records/")) {
                String id = path.substring(path.lastIndexOf('/') + 1);
                boolean removed = records.removeIf(x -> x.get("id").equals(id));
                if (removed) reply(ex, 200, Map.of("result", Map.of("id", id)));
                else reply(ex, 404, error(81044, "Record does not exist."));
            } else {
                reply(ex, 404, error(7003, "Could not route to " + path + ", perhaps your object identifier is invalid?"));
            }
        }
    }

    private static Map<String, Object> envelope(List<Map<String, Object>> result, int page, int perPage, int total) {
        return Map.of("success", true, "errors", List.of(), "messages", List.of(), "result", result, "result_info",
                Map.of("page", page, "per_page", perPage, "count", result.size(), "total_count", total,
                        "total_pages", Math.max(1, (total + perPage - 1) / perPage)));
    }

    private static Map<String, Object> error(int code, String message) {
        return Map.of("success", false, "errors", List.of(Map.of("code", code, "message", message)), "messages", List.of(), "result", List.of());
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        ApiStub.reply(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static DnsProvider provider(String token) throws DnsProviderException {
        return DnsProviders.build(new DnsConfig("cf", "cloudflare", Map.of("apiToken", "secret:cf-token", "zone", "example.com",
                "apiUrl", "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4"), 9), n -> token.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void presentLooksUpTheZoneIdAndCreatesAQuotedTxtRecordWithTheBearerToken() throws Exception {
        provider(TOKEN).present("_acme-challenge.www.example.com.", "digest-1");

        assertThat(records).hasSize(1);
        assertThat(records.get(0)).containsEntry("type", "TXT").containsEntry("name", "_acme-challenge.www.example.com")
                .containsEntry("content", "\"digest-1\"").containsEntry("ttl", 120);
        assertThat(requests.get(0)).startsWith("GET /zones {name=example.com}");
        assertThat(requests.get(1)).startsWith("POST /zones/" + ZONE_ID + "/dns_records");
    }

    @Test
    void presentingTheSameValueTwiceIsHarmless() throws Exception {
        DnsProvider p = provider(TOKEN);
        p.present("_acme-challenge.twice.example.com.", "same");
        p.present("_acme-challenge.twice.example.com.", "same");

        assertThat(records).hasSize(1);
    }

    @Test
    void cleanUpPagesThroughTheListingAndDeletesOnlyItsOwnValue() throws Exception {
        for (int i = 0; i < 150; i++) {
            records.add(new LinkedHashMap<>(Map.of("id", "other" + i, "type", "TXT", "name", "_acme-challenge.busy.example.com",
                    "content", "\"other-" + i + "\"", "ttl", 120, "zone_id", ZONE_ID)));
        }
        DnsProvider p = provider(TOKEN);
        p.present("_acme-challenge.busy.example.com.", "mine");

        p.cleanUp("_acme-challenge.busy.example.com.", "mine");

        assertThat(records).hasSize(150).noneMatch(r -> r.get("content").equals("\"mine\""));
        assertThat(requests).anyMatch(r -> r.startsWith("GET /zones/" + ZONE_ID + "/dns_records {type=TXT, name=_acme-challenge.busy.example.com, per_page=100, page=2}"));
        assertThat(requests).filteredOn(r -> r.startsWith("DELETE")).hasSize(1);
    }

    @Test
    void aRejectedTokenIsReportedWithCloudflaresErrorAndWithoutTheToken() {
        String wrong = "cf-wrong-token-" + UUID.randomUUID();

        assertThatThrownBy(() -> provider(wrong).present("_acme-challenge.www.example.com.", "v"))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("cloudflare: GET /client/v4/zones answered HTTP 403: Invalid access token (code 9109)")
                .hasMessageContaining("check that the secret named by 'apiToken' is a current API token with Zone:Read and DNS:Edit")
                .hasMessageNotContaining(wrong);
    }

    @Test
    void aZoneTheTokenCannotSeeIsNamed() throws Exception {
        DnsProvider p = DnsProviders.build(new DnsConfig("cf", "cloudflare", Map.of("apiToken", "secret:cf-token", "zone", "other.org",
                "apiUrl", "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4"), 9), n -> TOKEN.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> p.present("_acme-challenge.www.other.org.", "v"))
                .hasMessage("cloudflare: the API token of dns provider 'cf' sees no zone named other.org; give the token Zone:Read and DNS:Edit on that zone, or set 'zone'");
    }

    @Test
    void aLiteralTokenInCertopsYamlIsRefused() {
        assertThatThrownBy(() -> DnsProviders.build(new DnsConfig("cf", "cloudflare", Map.of("apiToken", TOKEN), 9), n -> null))
                .hasMessageStartingWith("cloudflare: key 'apiToken' must be a secret reference such as 'secret:cloudflare-cf'")
                .hasMessageNotContaining(TOKEN);
    }
}

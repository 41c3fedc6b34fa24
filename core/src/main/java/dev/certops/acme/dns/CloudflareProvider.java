package dev.certops.acme.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.config.DnsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Cloudflare's API v4 with an API token ({@code Authorization: Bearer}; the token needs Zone:Read and
 * DNS:Edit on the zone). The zone is found by a SOA walk (or {@code zone}), its id with
 * {@code GET /zones?name=ZONE}; a TXT record is created with {@code POST /zones/ID/dns_records}, and
 * removed by listing {@code GET /zones/ID/dns_records?type=TXT&name=NAME} page by page and
 * {@code DELETE /zones/ID/dns_records/RECORD}. Tested against a local server that follows the
 * published API documents, not against Cloudflare itself: {@code certops dns test} is the real check.
 */
final class CloudflareProvider implements DnsProvider, PropagationSettings {
    private static final Logger LOG = LoggerFactory.getLogger(CloudflareProvider.class);
    static final String DEFAULT_URL = "https://api.cloudflare.com/client/v4";
    /** "An identical record already exists." */
    static final int IDENTICAL_RECORD = 81058;

    private final String id;
    private final URI base;
    private final String token;
    private final long ttl;
    private final Zones zones;
    private final ProviderHttp http;
    private final PropagationSettings timing;

    private CloudflareProvider(String id, URI base, String token, long ttl, Zones zones, ProviderHttp http, PropagationSettings timing) {
        this.id = id;
        this.base = base;
        this.token = token;
        this.ttl = ttl;
        this.zones = zones;
        this.http = http;
        this.timing = timing;
    }

    static CloudflareProvider create(DnsConfig cfg, Function<String, byte[]> secretReader, Resolvers lookups) throws DnsProviderException {
        ProviderSettings s = ProviderSettings.of(cfg, Set.of("apiToken", "apiUrl", "zone", "ttl", "timeout"));
        URI base = s.baseUrl("apiUrl", DEFAULT_URL, DEFAULT_URL);
        String token = s.secret("apiToken", "cloudflare-" + s.id(), secretReader);
        long ttl = s.number("ttl", 120, 60, 86_400);
        Duration timeout = s.duration("timeout", ProviderSettings.DEFAULT_HTTP_TIMEOUT);
        return new CloudflareProvider(cfg.id(), base, token, ttl, Zones.of(s, lookups), new ProviderHttp("cloudflare", cfg.id(), timeout),
                s.propagation());
    }

    @Override public String id() { return id; }

    @Override
    public void present(String fqdn, String value) throws DnsProviderException {
        Name name = zones.name(fqdn);
        String zoneId = zoneId(zones.zoneOf(name));
        URI uri = uri("/zones/" + zoneId + "/dns_records");
        ProviderHttp.Answer a = http.send("POST", uri, auth(), Map.of("type", "TXT", "name", bare(name),
                "content", PowerDnsProvider.quote(value), "ttl", ttl));
        if (!a.ok() && !hasError(a, IDENTICAL_RECORD)) throw refused("POST", uri, a);
        LOG.info("cloudflare {}: added TXT at {}", id, name);
    }

    @Override
    public void cleanUp(String fqdn, String value) throws DnsProviderException {
        Name name = zones.name(fqdn);
        String zoneId = zoneId(zones.zoneOf(name));
        for (String recordId : matching(zoneId, name, value)) {
            URI uri = uri("/zones/" + zoneId + "/dns_records/" + recordId);
            ProviderHttp.Answer a = http.send("DELETE", uri, auth(), null);
            if (!a.ok() && a.status() != 404) throw refused("DELETE", uri, a);
        }
        LOG.info("cloudflare {}: removed TXT at {}", id, name);
    }

    @Override public Duration propagationTimeout() { return timing.propagationTimeout(); }

    @Override public Duration pollInterval() { return timing.pollInterval(); }

    @Override public int nameserverPort() { return timing.nameserverPort(); }

    private String zoneId(Name zone) throws DnsProviderException {
        URI uri = uri("/zones?name=" + enc(bare(zone)));
        ProviderHttp.Answer a = http.send("GET", uri, auth(), null);
        if (!a.ok() || !a.body().path("success").asBoolean(false)) throw refused("GET", uri, a);
        for (JsonNode z : a.body().path("result")) {
            if (z.path("name").asText().equalsIgnoreCase(bare(zone))) return z.path("id").asText();
        }
        throw new DnsProviderException("cloudflare: the API token of dns provider '" + id + "' sees no zone named " + bare(zone)
                + "; give the token Zone:Read and DNS:Edit on that zone, or set 'zone'");
    }

    /** The ids of the TXT records at {@code name} holding {@code value}, over every page of the listing. */
    private List<String> matching(String zoneId, Name name, String value) throws DnsProviderException {
        List<String> ids = new ArrayList<>();
        for (int page = 1; ; page++) {
            URI uri = uri("/zones/" + zoneId + "/dns_records?type=TXT&name=" + enc(bare(name)) + "&per_page=100&page=" + page);
            ProviderHttp.Answer a = http.send("GET", uri, auth(), null);
            if (!a.ok()) throw refused("GET", uri, a);
            for (JsonNode r : a.body().path("result")) {
                if (unquote(r.path("content").asText()).equals(value)) ids.add(r.path("id").asText());
            }
            if (page >= a.body().path("result_info").path("total_pages").asInt(1)) return ids;
        }
    }

    private Map<String, String> auth() { return Map.of("Authorization", "Bearer " + token); }

    private URI uri(String pathAndQuery) { return URI.create(base + pathAndQuery); }

    private static boolean hasError(ProviderHttp.Answer a, int code) {
        for (JsonNode e : a.body().path("errors")) if (e.path("code").asInt() == code) return true;
        return false;
    }

    private DnsProviderException refused(String method, URI uri, ProviderHttp.Answer a) {
        List<String> errors = new ArrayList<>();
        for (JsonNode e : a.body().path("errors")) errors.add(e.path("message").asText() + " (code " + e.path("code").asText() + ")");
        String detail = errors.isEmpty() ? ProviderHttp.excerpt(a.raw()) : String.join("; ", errors);
        String next = a.status() == 401 || a.status() == 403
                ? "check that the secret named by 'apiToken' is a current API token with Zone:Read and DNS:Edit on the zone"
                : "see Cloudflare's error codes at https://developers.cloudflare.com/api/";
        return http.refused(method, uri, a, detail, next);
    }

    /** A name as Cloudflare writes it: no trailing dot. */
    private static String bare(Name n) {
        String s = n.toString();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String unquote(String content) {
        return content.length() >= 2 && content.startsWith("\"") && content.endsWith("\"")
                ? content.substring(1, content.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\") : content;
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Override public String toString() { return "cloudflare[id=" + id + ", url=" + base + "]"; }
}

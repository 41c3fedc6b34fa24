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
 * PowerDNS Authoritative Server through its HTTP API (v1): the TXT rrset is read from
 * {@code GET /api/v1/servers/SERVER/zones/ZONE} and written back whole with
 * {@code PATCH} ({@code changetype REPLACE}, or {@code DELETE} when the last value goes), so values
 * published for other names in the same certificate (a name and its wildcard) are kept. The zone is
 * found by a SOA walk unless {@code zone} is set. Header {@code X-API-Key} from {@code apiKey: secret:NAME}.
 */
final class PowerDnsProvider implements DnsProvider, PropagationSettings {
    private static final Logger LOG = LoggerFactory.getLogger(PowerDnsProvider.class);

    private final String id;
    private final URI base;
    private final String serverId;
    private final String apiKey;
    private final long ttl;
    private final Zones zones;
    private final ProviderHttp http;
    private final PropagationSettings timing;

    private PowerDnsProvider(String id, URI base, String serverId, String apiKey, long ttl, Zones zones, ProviderHttp http,
                             PropagationSettings timing) {
        this.id = id;
        this.base = base;
        this.serverId = serverId;
        this.apiKey = apiKey;
        this.ttl = ttl;
        this.zones = zones;
        this.http = http;
        this.timing = timing;
    }

    static PowerDnsProvider create(DnsConfig cfg, Function<String, byte[]> secretReader, Resolvers lookups) throws DnsProviderException {
        ProviderSettings s = ProviderSettings.of(cfg, Set.of("url", "apiKey", "serverId", "zone", "ttl", "timeout"));
        URI base = s.baseUrl("url", null, "http://127.0.0.1:8081");
        String key = s.secret("apiKey", "powerdns-" + s.id(), secretReader);
        String serverId = s.optional("serverId").orElse("localhost");
        long ttl = s.number("ttl", ProviderSettings.DEFAULT_TTL, 1, 86_400);
        Duration timeout = s.duration("timeout", ProviderSettings.DEFAULT_HTTP_TIMEOUT);
        return new PowerDnsProvider(cfg.id(), base, serverId, key, ttl, Zones.of(s, lookups),
                new ProviderHttp("powerdns", cfg.id(), timeout), s.propagation());
    }

    @Override public String id() { return id; }

    @Override
    public void present(String fqdn, String value) throws DnsProviderException {
        Name name = zones.name(fqdn);
        Name zone = zones.zoneOf(name);
        List<String> values = current(zone, name);
        String quoted = quote(value);
        if (values.contains(quoted)) return;
        values.add(quoted);
        patch(zone, name, values);
        LOG.info("powerdns {}: added TXT at {} in zone {}", id, name, zone);
    }

    @Override
    public void cleanUp(String fqdn, String value) throws DnsProviderException {
        Name name = zones.name(fqdn);
        Name zone = zones.zoneOf(name);
        List<String> values = current(zone, name);
        if (!values.remove(quote(value))) return;
        patch(zone, name, values);
        LOG.info("powerdns {}: removed TXT at {} in zone {}", id, name, zone);
    }

    @Override public Duration propagationTimeout() { return timing.propagationTimeout(); }

    @Override public Duration pollInterval() { return timing.pollInterval(); }

    @Override public int nameserverPort() { return timing.nameserverPort(); }

    private URI zoneUri(Name zone) {
        return URI.create(base + "/api/v1/servers/" + enc(serverId) + "/zones/" + enc(zone.toString()));
    }

    /** The TXT contents (quoted, as PowerDNS stores them) now at {@code name}. */
    private List<String> current(Name zone, Name name) throws DnsProviderException {
        URI uri = zoneUri(zone);
        ProviderHttp.Answer a = http.send("GET", uri, Map.of("X-API-Key", apiKey), null);
        if (!a.ok()) throw refused("GET", uri, a, zone);
        List<String> out = new ArrayList<>();
        for (JsonNode set : a.body().path("rrsets")) {
            if (set.path("name").asText().equalsIgnoreCase(name.toString()) && "TXT".equals(set.path("type").asText())) {
                for (JsonNode r : set.path("records")) out.add(r.path("content").asText());
            }
        }
        return out;
    }

    private void patch(Name zone, Name name, List<String> values) throws DnsProviderException {
        Map<String, Object> rrset = values.isEmpty()
                ? Map.of("name", name.toString(), "type", "TXT", "changetype", "DELETE")
                : Map.of("name", name.toString(), "type", "TXT", "ttl", ttl, "changetype", "REPLACE",
                        "records", values.stream().map(v -> Map.of("content", v, "disabled", false)).toList());
        URI uri = zoneUri(zone);
        ProviderHttp.Answer a = http.send("PATCH", uri, Map.of("X-API-Key", apiKey), Map.of("rrsets", List.of(rrset)));
        if (!a.ok()) throw refused("PATCH", uri, a, zone);
    }

    private DnsProviderException refused(String method, URI uri, ProviderHttp.Answer a, Name zone) {
        String error = a.body().path("error").asText(ProviderHttp.excerpt(a.raw()));
        String next = switch (a.status()) {
            case 401, 403 -> "check that secret named by 'apiKey' holds the server's api-key";
            case 404, 422 -> "check that PowerDNS serves zone " + zone + " (server '" + serverId + "'), or set 'zone'";
            default -> "check the PowerDNS server's log";
        };
        return http.refused(method, uri, a, error, next);
    }

    /** A TXT value as PowerDNS wants it: in double quotes, with quotes and backslashes escaped. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Override public String toString() { return "powerdns[id=" + id + ", url=" + base + "]"; }
}

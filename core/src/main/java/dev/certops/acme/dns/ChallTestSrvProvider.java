package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import dev.certops.json.Json;
import dev.certops.words.Causes;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * pebble-challtestsrv's management API, for test labs: {@code POST /set-txt} and {@code /clear-txt}.
 * Note that challtestsrv's {@code /clear-txt} removes every TXT value at the name, not only {@code value}.
 */
final class ChallTestSrvProvider implements DnsProvider, PropagationSettings {
    private final String id;
    private final URI base;
    private final Duration timeout;
    private final PropagationSettings timing;
    private final HttpClient http;

    private ChallTestSrvProvider(String id, URI base, Duration timeout, PropagationSettings timing) {
        this.id = id;
        this.base = base;
        this.timeout = timeout;
        this.timing = timing;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    static ChallTestSrvProvider create(DnsConfig cfg) throws DnsProviderException {
        ProviderSettings s = ProviderSettings.of(cfg, Set.of("url", "timeout"));
        String url = s.required("url", "http://127.0.0.1:8055");
        URI uri;
        try {
            uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (URISyntaxException e) {
            throw s.error("key 'url' has '" + url + "', which is not a URL; write e.g. http://127.0.0.1:8055");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw s.error("key 'url' has '" + url + "'; write the management API's http URL, e.g. http://127.0.0.1:8055");
        }
        return new ChallTestSrvProvider(cfg.id(), uri, s.duration("timeout", ProviderSettings.DEFAULT_HTTP_TIMEOUT), s.propagation());
    }

    @Override public String id() { return id; }

    @Override
    public void present(String fqdn, String value) throws DnsProviderException {
        post("/set-txt", Map.of("host", fqdn, "value", value));
    }

    @Override
    public void cleanUp(String fqdn, String value) throws DnsProviderException {
        post("/clear-txt", Map.of("host", fqdn));
    }

    @Override public Duration propagationTimeout() { return timing.propagationTimeout(); }

    @Override public Duration pollInterval() { return timing.pollInterval(); }

    @Override public int nameserverPort() { return timing.nameserverPort(); }

    private void post(String path, Map<String, String> body) throws DnsProviderException {
        URI target = URI.create(base + path);
        try {
            HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.plain(body))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new DnsProviderException("challtestsrv: " + target + " answered HTTP " + response.statusCode()
                        + " (" + response.body().strip() + "); check that 'url' points at the management port");
            }
        } catch (IOException e) {
            throw new DnsProviderException("challtestsrv: cannot reach " + target + " (" + Causes.of(e) + ");"
                    + " check that pebble-challtestsrv runs and 'url' names its -management address", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException("challtestsrv: interrupted while calling " + target, e);
        }
    }

    @Override public String toString() { return "challtestsrv[id=" + id + ", url=" + base + "]"; }
}

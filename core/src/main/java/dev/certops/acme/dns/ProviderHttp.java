package dev.certops.acme.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import dev.certops.json.Json;

/**
 * The HTTP side of an API-driven DNS provider: JSON in and out, a timeout, and errors that start with
 * the provider type, name the request (method and path, never a header) and say what to check.
 * Credentials travel only in headers, which are never logged or put into a message.
 */
final class ProviderHttp {
    static final ObjectMapper JSON = Json.mapper();

    private final String type;
    private final String id;
    private final Duration timeout;
    private final HttpClient client;

    /** An answer: status and parsed body (an empty object when the body is empty or not JSON). */
    record Answer(int status, JsonNode body, String raw) {
        boolean ok() { return status / 100 == 2; }
    }

    ProviderHttp(String type, String id, Duration timeout) {
        this.type = type;
        this.id = id;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Sends {@code method uri} with {@code headers} and a JSON {@code body} (null for none). */
    Answer send(String method, URI uri, Map<String, String> headers, Object body) throws DnsProviderException {
        String what = method + " " + uri.getPath();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
            headers.forEach(b::header);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json");
                b.method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
            }
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), parse(r.body()), r.body() == null ? "" : r.body());
        } catch (IOException e) {
            throw new DnsProviderException(type + ": cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + " for " + what
                    + " (" + e.getMessage() + "); check the URL of dns provider '" + id + "' and that this machine may reach it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException(type + ": interrupted during " + what, e);
        }
    }

    /** The error for an answer that is not 2xx: "TYPE: METHOD PATH answered HTTP 403: DETAIL; NEXT". */
    DnsProviderException refused(String method, URI uri, Answer a, String detail, String next) {
        return new DnsProviderException(type + ": " + method + " " + uri.getPath() + " answered HTTP " + a.status()
                + (detail.isBlank() ? "" : ": " + detail) + "; " + next + " (dns provider '" + id + "')");
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) return JSON.createObjectNode();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** A short, single-line excerpt of a body for an error message. */
    static String excerpt(String raw) {
        String s = raw == null ? "" : raw.strip().replaceAll("\\s+", " ");
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}

package dev.certops.alert;

import dev.certops.words.Causes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * POSTs a JSON body with timeouts and bounded retries: 5xx, 429, timeouts and connection errors
 * are retried with back-off, any other 4xx is not. Errors name the receiver's host, never the URL
 * (a Slack or webhook URL is a credential), and never contain the given secrets.
 */
final class HttpPost {
    private final HttpClient client;
    private final URI uri;
    private final RetryPolicy policy;
    private final RetryPolicy.Sleeper sleeper;
    private final List<String> secrets;

    HttpPost(HttpClient client, URI uri, RetryPolicy policy, RetryPolicy.Sleeper sleeper, List<String> secrets) {
        this.client = client;
        this.uri = uri;
        this.policy = policy;
        this.sleeper = sleeper;
        this.secrets = List.copyOf(secrets);
    }

    static HttpClient client(RetryPolicy policy) {
        return HttpClient.newBuilder().connectTimeout(policy.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends the body; returns the attempts it took. */
    int post(String json) throws DeliveryException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(policy.timeout())
                .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "certops-alerts")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        return policy.run(sleeper, () -> once(request));
    }

    private void once(HttpRequest request) throws DeliveryException {
        String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        HttpResponse<String> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new DeliveryException("no answer from " + host + " within " + policy.timeout().toSeconds() + " s",
                    "is the receiver up and reachable from this machine (proxy, firewall)?", true);
        } catch (ConnectException e) {
            throw new DeliveryException("cannot connect to " + host + " (" + Causes.of(e) + ")",
                    "is the receiver up, and the host and port in its URL right?", true);
        } catch (IOException e) {
            throw new DeliveryException("connection to " + host + " failed: " + redact(Causes.of(e)),
                    "is the receiver reachable from this machine (DNS, proxy, TLS)?", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while sending to " + host, "try again", false);
        }
        int status = r.statusCode();
        if (status >= 200 && status < 300) return;
        String body = excerpt(r.body());
        String message = "HTTP " + status + " from " + host + (body.isEmpty() ? "" : ": " + body);
        if (status >= 500 || status == 429) {
            throw new DeliveryException(message, "the receiver has a problem; it is retried on the next report", true);
        }
        throw new DeliveryException(message, status == 401 || status == 403 || status == 404
                ? "the URL or key is wrong or was revoked: check the channel's secret in secrets/"
                : "the receiver refused the message: check the channel's configuration", false);
    }

    private String excerpt(String body) {
        if (body == null) return "";
        String one = redact(body.replaceAll("\\s+", " ").strip());
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    String redact(String text) {
        String t = text;
        for (String s : secrets) if (!s.isEmpty()) t = t.replace(s, "(secret)");
        return t;
    }
}

package dev.certops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.certops.crypto.PemReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS proxy in front of a real Pebble's directory that can inject faults: answer 503, or 429
 * with a Retry-After, for the next N requests. It forwards unchanged, so the directory names Pebble's
 * own URLs and the client talks to Pebble directly after it (signed ACME requests carry their URL in
 * the JWS and cannot be proxied under another name): faults hit the first request of every attempt. Serves with the same TLS identity as Pebble, so the CA entry's trust anchor still works.
 */
public final class FaultProxy implements AutoCloseable {
    /** What to answer instead of forwarding. */
    public enum Fault { NONE, UNAVAILABLE_503, RATE_LIMITED_429 }

    private final HttpsServer server;
    private final HttpClient client;
    private final String upstream;
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private volatile Fault fault = Fault.NONE;
    private volatile long retryAfterSeconds = 1;

    public FaultProxy(PebbleFixture pebble, Path certPem, Path keyPem) throws Exception {
        this.upstream = "https://127.0.0.1:" + pebble.port();
        this.client = pebble.httpClient();
        List<X509Certificate> chain = PemReader.readCertificates(certPem);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("proxy", PemReader.readPrivateKey(keyPem, Optional.empty()), new char[0], chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI directoryUrl() { return URI.create(base() + "/dir"); }

    /** Answers the next {@code count} requests with {@code f}. */
    public void inject(Fault f, int count, long retryAfter) {
        this.retryAfterSeconds = retryAfter;
        this.remaining.set(count);
        this.fault = f;
    }

    public int faultsServed() { return faultsServed.get(); }

    private String base() { return "https://127.0.0.1:" + server.getAddress().getPort(); }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (fault != Fault.NONE && remaining.getAndDecrement() > 0) {
                faultsServed.incrementAndGet();
                byte[] body;
                ex.getResponseHeaders().add("Content-Type", "application/problem+json");
                ex.getResponseHeaders().add("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
                if (fault == Fault.RATE_LIMITED_429) {
                    ex.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
                    body = "{\"type\":\"urn:ietf:params:acme:error:rateLimited\",\"detail\":\"too many new orders recently\",\"status\":429}".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(429, body.length);
                } else {
                    body = "{\"type\":\"urn:ietf:params:acme:error:serverInternal\",\"detail\":\"service unavailable (injected)\",\"status\":503}".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(503, body.length);
                }
                ex.getResponseBody().write(body);
                return;
            }
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI())).timeout(Duration.ofSeconds(20));
            byte[] in = ex.getRequestBody().readAllBytes();
            String ct = ex.getRequestHeaders().getFirst("Content-Type");
            if (ct != null) rb.header("Content-Type", ct);
            rb.method(ex.getRequestMethod(), in.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(in));
            HttpResponse<byte[]> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((k, vs) -> {
                if (k.equalsIgnoreCase("content-length") || k.equalsIgnoreCase("transfer-encoding") || k.equalsIgnoreCase(":status")) return;
                for (String v : vs) ex.getResponseHeaders().add(k, v);
            });
            byte[] out = r.body();
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) ex.getResponseBody().write(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() { server.stop(0); }
}

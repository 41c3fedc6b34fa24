package dev.certops.acme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process HTTP-01 responder (JDK HTTP server) for the console's own machine and for tests: it
 * answers {@code GET /.well-known/acme-challenge/TOKEN} with the key authorization while the
 * challenge is published, and 404 for everything else. Nothing is written to disk.
 *
 * <p>Once listening it asks itself for a token that is not there (a 404), on a thread of its own, while the order is
 * being created: the server's request path then runs once before the CA's validation request arrives, instead of
 * cold under it (docs/decisions/0017).
 */
public final class Http01Responder implements AutoCloseable {
    static final String PREFIX = "/.well-known/acme-challenge/";
    private static final Logger LOG = LoggerFactory.getLogger(Http01Responder.class);
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService pool;
    private final CompletableFuture<Integer> warmUp = new CompletableFuture<>();

    private Http01Responder(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /**
     * Starts listening on {@code address} (port 80 in production; the CA's HTTP-01 port in tests).
     *
     * @throws IOException when the port cannot be bound; the message names the address
     */
    public static Http01Responder start(InetSocketAddress address) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 50);
        } catch (IOException e) {
            throw new IOException("HTTP-01 responder cannot listen on " + where(address) + ": " + e.getMessage()
                    + " — another web server may hold the port; use http-01 through that server's webroot instead", e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http01-responder");
            t.setDaemon(true);
            return t;
        });
        Http01Responder responder = new Http01Responder(server, pool);
        server.createContext("/", responder::handle);
        server.setExecutor(pool);
        server.start();
        Thread warm = new Thread(responder::warmUp, "http01-warm-up");
        warm.setDaemon(true);
        warm.start();
        return responder;
    }

    /** One request to itself for a token nobody published; completes with the status it got (404), or -1 when it could not ask. */
    private void warmUp() {
        InetSocketAddress at = server.getAddress();
        InetAddress host = at.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : at.getAddress();
        try (Socket s = new Socket(host, at.getPort())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + PREFIX + "certops-warm-up HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII); // "HTTP/1.1 404"
            while (in.read() >= 0) { } // until the server closes
            warmUp.complete(status.length() == 12 ? Integer.parseInt(status.substring(9, 12)) : -1);
        } catch (IOException | RuntimeException e) {
            warmUp.complete(-1); // only a head start: the CA's request is answered the same either way
        }
    }

    /** The status the responder's request to itself got (tests). */
    CompletableFuture<Integer> warmedUp() { return warmUp; }

    public InetSocketAddress address() { return server.getAddress(); }

    /** Where it listens, as a person writes it ({@code 127.0.0.1:80}, not Java's {@code /127.0.0.1:80}). */
    public String where() { return where(server.getAddress()); }

    private static String where(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Serves {@code keyAuthorization} at the token's path until {@link #remove(String)}. */
    public void put(String token, String keyAuthorization) {
        if (!token.matches("[A-Za-z0-9_-]{1,256}")) throw new IllegalArgumentException("the CA sent a token that is not base64url");
        tokens.put(token, keyAuthorization);
    }

    public void remove(String token) { tokens.remove(token); }

    /** How many tokens are being served now (0 after every challenge was cleaned up). */
    public int served() { return tokens.size(); }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String answer = path.startsWith(PREFIX) ? tokens.get(path.substring(PREFIX.length())) : null;
            boolean get = "GET".equals(ex.getRequestMethod()) || "HEAD".equals(ex.getRequestMethod());
            if (answer == null || !get) {
                LOG.debug("HTTP-01 responder: {} {} → 404", ex.getRequestMethod(), path);
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = answer.getBytes(StandardCharsets.US_ASCII);
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, "HEAD".equals(ex.getRequestMethod()) ? -1 : body.length);
            if (!"HEAD".equals(ex.getRequestMethod())) ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}

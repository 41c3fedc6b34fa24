package dev.certops.testing;

import dev.certops.crypto.PemReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS proxy in front of a real Pebble that can inject faults: answer 503, or 429 with a
 * Retry-After, for the next N requests (optionally only for paths starting with a prefix, e.g. the
 * new-order endpoint {@code /order-plz}). It forwards each request byte for byte with its
 * {@code Host} header kept, so Pebble names every URL (directory, Location, links) after the proxy and
 * checks the signed JWS {@code url} against the proxy's address: the client keeps going through the
 * proxy for the whole issuance. It can also add entries to the directory (an ARI {@code renewalInfo}
 * URL Pebble 2.4 lacks) and records every request for assertions. Same TLS identity as Pebble, so
 * the CA entry's trust anchor still works. One request per connection ({@code Connection: close}).
 */
public final class FaultProxy implements AutoCloseable {
    /** What to answer instead of forwarding. */
    public enum Fault { NONE, UNAVAILABLE_503, RATE_LIMITED_429 }

    /** A request as the proxy received it. */
    public record Request(String method, String path, byte[] body) {
        public String bodyText() { return new String(body, StandardCharsets.UTF_8); }
    }

    private final SSLServerSocket server;
    private final SSLContext upstreamTls;
    private final int upstreamPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> directoryAdditions = new LinkedHashMap<>();
    private volatile Fault fault = Fault.NONE;
    private volatile long retryAfterSeconds = 1;
    private volatile String pathPrefix = "/";
    private volatile java.time.Duration serverClockOffset = java.time.Duration.ZERO;
    private volatile java.util.function.Predicate<Request> refuseWhich = r -> false;
    private volatile String refusal = "";
    private final AtomicInteger refusalsLeft = new AtomicInteger();

    public FaultProxy(PebbleFixture pebble, Path certPem, Path keyPem) throws Exception {
        this.upstreamPort = pebble.port();
        List<X509Certificate> chain = PemReader.readCertificates(certPem);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("proxy", PemReader.readPrivateKey(keyPem, Optional.empty()), new char[0], chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("pebble", PemReader.readCertificates(pebble.trustAnchorPem()).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        upstreamTls = SSLContext.getInstance("TLS");
        upstreamTls.init(null, tmf.getTrustManagers(), null);
        server = (SSLServerSocket) ssl.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::acceptLoop);
    }

    public URI directoryUrl() { return URI.create(base() + "/dir"); }

    public String base() { return "https://127.0.0.1:" + server.getLocalPort(); }

    /** Answers the next {@code count} requests (any path) with {@code f}. */
    public void inject(Fault f, int count, long retryAfter) { inject(f, count, retryAfter, "/"); }

    /** Answers the next {@code count} requests whose path starts with {@code prefix} with {@code f}. */
    public void inject(Fault f, int count, long retryAfter, String prefix) {
        this.retryAfterSeconds = retryAfter;
        this.pathPrefix = prefix;
        this.remaining.set(count);
        this.fault = f;
    }

    /**
     * Answers the next {@code count} requests matching {@code which} with an ACME problem document
     * ({@code type}, {@code detail}) and HTTP {@code status}; everything else passes through.
     */
    public void refuse(java.util.function.Predicate<Request> which, int count, int status, String type, String detail) {
        String body = "{\"type\":\"" + type + "\",\"detail\":\"" + detail + "\",\"status\":" + status + "}";
        this.refusal = "HTTP/1.1 " + status + " Refused\r\nContent-Type: application/problem+json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
        this.refuseWhich = which;
        this.refusalsLeft.set(count);
    }

    /** The protected header of a JWS request body (flattened JSON), decoded: "" when there is none. */
    public static String protectedHeader(Request r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"protected\"\\s*:\\s*\"([^\"]+)\"").matcher(r.bodyText());
        return m.find() ? new String(java.util.Base64.getUrlDecoder().decode(m.group(1)), StandardCharsets.UTF_8) : "";
    }

    /** Fault answers carry a Date header this far from real time (a CA whose clock differs from ours). */
    public void serverClockOffset(java.time.Duration offset) { this.serverClockOffset = offset; }

    /** Adds {@code "key": "url"} to the directory Pebble serves (e.g. renewalInfo). */
    public synchronized void addToDirectory(String key, String url) { directoryAdditions.put(key, url); }

    public int faultsServed() { return faultsServed.get(); }

    /** Every request received so far, in order. */
    public List<Request> requests() { return List.copyOf(requests); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.submit(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head.isEmpty()) return;
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            StringBuilder forwarded = new StringBuilder(lines[0]).append("\r\n");
            int length = 0;
            for (int i = 1; i < lines.length; i++) {
                String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                if (name.equals("content-length")) length = Integer.parseInt(lines[i].substring(lines[i].indexOf(':') + 1).trim());
                if (name.equals("connection")) continue;
                forwarded.append(lines[i]).append("\r\n");
            }
            forwarded.append("Connection: close\r\n\r\n");
            byte[] body = in.readNBytes(length);
            String path = requestLine[1];
            Request received = new Request(requestLine[0], path, body);
            requests.add(received);
            OutputStream out = client.getOutputStream();
            if (refuseWhich.test(received) && refusalsLeft.getAndDecrement() > 0) {
                faultsServed.incrementAndGet();
                out.write(refusal.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            if (fault != Fault.NONE && path.startsWith(pathPrefix) && remaining.getAndDecrement() > 0) {
                faultsServed.incrementAndGet();
                out.write(faultResponse());
                out.flush();
                return;
            }
            try (Socket up = upstreamTls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                OutputStream upOut = up.getOutputStream();
                upOut.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                upOut.write(body);
                upOut.flush();
                byte[] answer = up.getInputStream().readAllBytes();
                out.write(path.equals("/dir") ? withDirectoryAdditions(answer) : answer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client sees a closed connection, as with a real proxy failing
        }
    }

    private byte[] faultResponse() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plus(serverClockOffset));
        boolean limited = fault == Fault.RATE_LIMITED_429;
        String body = limited
                ? "{\"type\":\"urn:ietf:params:acme:error:rateLimited\",\"detail\":\"too many new orders recently\",\"status\":429}"
                : "{\"type\":\"urn:ietf:params:acme:error:serverInternal\",\"detail\":\"service unavailable (injected)\",\"status\":503}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = (limited ? "HTTP/1.1 429 Too Many Requests\r\n" : "HTTP/1.1 503 Service Unavailable\r\n")
                + "Content-Type: application/problem+json\r\nDate: " + date + "\r\n"
                + (limited ? "Retry-After: " + retryAfterSeconds + "\r\nLink: <https://ca.example/docs/rate-limits>;rel=\"help\"\r\n" : "")
                + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        o.writeBytes(b);
        return o.toByteArray();
    }

    /** Pebble answers small JSON with Content-Length; the additions go in after the opening brace. */
    private synchronized byte[] withDirectoryAdditions(byte[] response) {
        if (directoryAdditions.isEmpty()) return response;
        String r = new String(response, StandardCharsets.UTF_8);
        int split = r.indexOf("\r\n\r\n");
        String head = r.substring(0, split);
        String body = r.substring(split + 4);
        StringBuilder extra = new StringBuilder();
        directoryAdditions.forEach((k, v) -> extra.append('"').append(k).append("\":\"").append(v).append("\","));
        body = body.replaceFirst("\\{", "{" + java.util.regex.Matcher.quoteReplacement(extra.toString()));
        List<String> headers = new ArrayList<>();
        for (String h : head.split("\r\n")) {
            if (!h.toLowerCase(Locale.ROOT).startsWith("content-length:")) headers.add(h);
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        headers.add("Content-Length: " + b.length);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes((String.join("\r\n", headers) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        o.writeBytes(b);
        return o.toByteArray();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int c;
        while (last4 != 0x0d0a0d0a && (c = in.read()) != -1) {
            head.write(c);
            last4 = (last4 << 8) | c;
        }
        String s = head.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r\n\r\n") ? s.substring(0, s.length() - 4) : "";
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        pool.shutdownNow();
    }
}

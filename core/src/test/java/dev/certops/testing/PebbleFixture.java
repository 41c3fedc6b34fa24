package dev.certops.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Pebble ACME server (Debian {@code pebble}, 2.4) on free loopback ports, with a generated
 * HTTPS certificate. Validation goes to {@link #httpPort()} (HTTP-01) and, with a
 * {@link ChallTestSrvFixture}, DNS through it (DNS-01). {@link #stop()} and {@link #start()} keep the
 * ports, so a test can take the CA down and bring it back.
 *
 * <p>Defaults make it fast and deterministic: {@code PEBBLE_VA_NOSLEEP=1},
 * {@code PEBBLE_WFE_NONCEREJECT=0}, {@code PEBBLE_AUTHZREUSE=0}; {@link Builder#nonceReject(int)}
 * and {@link Builder#env} change them. Note: Pebble restarts with an empty state (accounts, orders).
 */
public final class PebbleFixture implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int managementPort;
    private final int httpPort;
    private final int tlsPort;
    private final Integer dnsPort;
    private final Map<String, String> env;
    private final TestTls tls;
    private final Map<String, String> eabKeys;
    private ManagedProcess process;

    private PebbleFixture(Builder b, TestTls tls) {
        this.dir = b.dir;
        this.port = FreePort.tcp();
        this.managementPort = FreePort.tcp();
        this.httpPort = b.httpPort != null ? b.httpPort : FreePort.tcp();
        this.tlsPort = FreePort.tcp();
        this.dnsPort = b.dnsPort;
        this.env = Map.copyOf(b.env);
        this.tls = tls;
        this.eabKeys = Map.copyOf(b.eabKeys);
    }

    public static Builder builder(Path dir) { return new Builder(dir); }

    /** Starts Pebble with the defaults in its own folder. */
    public static PebbleFixture start(Path dir) throws IOException { return builder(dir).start(); }

    /** Options for a Pebble instance. */
    public static final class Builder {
        private final Path dir;
        private Integer httpPort;
        private Integer dnsPort;
        private final Map<String, String> eabKeys = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>(Map.of(
                "PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0"));

        private Builder(Path dir) { this.dir = dir; }

        /** The port Pebble's VA connects to for HTTP-01 (serve tokens on 127.0.0.1:port). */
        public Builder httpPort(int port) { this.httpPort = port; return this; }
        /** Resolve names through this challtestsrv (DNS-01, CAA, A records). */
        public Builder dns(ChallTestSrvFixture dns) { this.dnsPort = dns.dnsPort(); return this; }
        /** Resolve names through the DNS server on 127.0.0.1:{@code port} (a BIND or PowerDNS the test runs). */
        public Builder dnsPort(int port) { this.dnsPort = port; return this; }
        /** Percentage of nonces Pebble rejects with badNonce. */
        public Builder nonceReject(int percent) { env.put("PEBBLE_WFE_NONCEREJECT", String.valueOf(percent)); return this; }
        /** Requires External Account Binding, accepting this key id with this base64url HMAC key. */
        public Builder eab(String kid, String hmacBase64Url) { eabKeys.put(kid, hmacBase64Url); return this; }
        /** Any other Pebble environment knob (PEBBLE_VA_ALWAYS_VALID, PEBBLE_CHAIN_LENGTH, ...). */
        public Builder env(String key, String value) { env.put(key, value); return this; }

        public PebbleFixture start() throws IOException {
            Files.createDirectories(dir);
            PebbleFixture f = new PebbleFixture(this, TestTls.create(dir.resolve("tls")));
            f.start();
            return f;
        }
    }

    /** (Re)starts Pebble on the same ports. */
    public synchronized void start() throws IOException {
        if (process != null && process.alive()) return;
        Path cfg = dir.resolve("pebble-config.json");
        Files.writeString(cfg, "{\"pebble\":{\"listenAddress\":\"127.0.0.1:" + port + "\",\"managementListenAddress\":\"127.0.0.1:"
                + managementPort + "\",\"certificate\":\"" + tls.certPem() + "\",\"privateKey\":\"" + tls.keyPem()
                + "\",\"httpPort\":" + httpPort + ",\"tlsPort\":" + tlsPort
                + ",\"ocspResponderURL\":\"\",\"externalAccountBindingRequired\":" + !eabKeys.isEmpty()
                + ",\"externalAccountMACKeys\":{" + String.join(",", eabKeys.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"").toList()) + "}}}");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/pebble", "-config", cfg.toString()));
        if (dnsPort != null) cmd.addAll(java.util.List.of("-dnsserver", "127.0.0.1:" + dnsPort));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        process = ManagedProcess.start("pebble", pb, dir.resolve("pebble.log"));
        try {
            process.awaitReady(Duration.ofSeconds(15), () -> answers(directoryUrl()));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /** Stops Pebble (a CA outage); {@link #start()} brings it back on the same ports. */
    public synchronized void stop() {
        if (process != null) process.close();
    }

    public URI directoryUrl() { return URI.create("https://127.0.0.1:" + port + "/dir"); }
    public int port() { return port; }
    public URI managementUrl() { return URI.create("https://127.0.0.1:" + managementPort); }
    public int httpPort() { return httpPort; }
    public int tlsPort() { return tlsPort; }
    /** The CA that signed Pebble's HTTPS certificate: the per-CA trust anchor ({@code trust:}). */
    public Path trustAnchorPem() { return tls.caPem(); }
    public Path dir() { return dir; }
    /** Pebble's HTTPS identity (a proxy in front of it can serve the same one). */
    public TestTls tls() { return tls; }

    /**
     * How many requests Pebble logged for {@code methodAndPath} ("GET /dir", "POST /sign-me-up") since it last
     * started: what clients really asked of this CA.
     */
    public synchronized long requests(String methodAndPath) {
        return process.log().lines().filter(l -> l.endsWith(" " + methodAndPath + " -> calling handler()")).count();
    }

    /** Pebble's management view of a certificate ("Valid" / "Revoked" and the reason), by hex serial. */
    public String certStatusBySerial(String hexSerial) throws IOException {
        return get(managementUrl().resolve("/cert-status-by-serial/" + hexSerial));
    }

    /** The root that signs issued certificates (changes with every start). */
    public String rootsPem() throws IOException { return get(managementUrl().resolve("/roots/0")); }

    /** An HttpClient that trusts Pebble's HTTPS through {@link #trustAnchorPem()} only. */
    public HttpClient httpClient() throws IOException {
        try {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(tls.caPem())));
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("pebble-https", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(2)).build();
        } catch (Exception e) {
            throw new IOException("cannot build a client trusting " + tls.caPem() + ": " + e, e);
        }
    }

    private String get(URI uri) throws IOException {
        try {
            HttpResponse<String> r = httpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) throw new IOException(uri + " answered " + r.statusCode() + ": " + r.body());
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private boolean answers(URI uri) {
        try {
            return get(uri).contains("newOrder");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() { stop(); }
}

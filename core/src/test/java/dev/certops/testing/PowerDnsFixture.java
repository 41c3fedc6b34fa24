package dev.certops.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A private PowerDNS Authoritative Server (Debian {@code pdns-server} + {@code pdns-backend-sqlite3})
 * with the gsqlite3 backend and its HTTP API, on loopback addresses (127.0.0.x, one port for all) —
 * recipe in LAB.md. Caches are off, so an API change is answered at once. Zones are created through
 * the API ({@link #createZone}).
 */
public final class PowerDnsFixture implements AutoCloseable {
    public static final String PDNS = "/usr/sbin/pdns_server";
    private static final String SCHEMA = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedProcess process;
    private final List<String> addresses;
    private final int dnsPort;
    private final int apiPort;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private PowerDnsFixture(ManagedProcess process, List<String> addresses, int dnsPort, int apiPort, String apiKey) {
        this.process = process;
        this.addresses = List.copyOf(addresses);
        this.dnsPort = dnsPort;
        this.apiPort = apiPort;
        this.apiKey = apiKey;
    }

    /** Starts pdns_server in {@code dir}, answering DNS on each of {@code addresses} at {@code dnsPort}. */
    public static PowerDnsFixture start(Path dir, List<String> addresses, int dnsPort) throws IOException {
        Path db = dir.resolve("pdns.sqlite3");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String sql : Files.readString(Path.of(SCHEMA)).split(";")) {
                if (!sql.isBlank()) st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IOException("cannot create the PowerDNS database from " + SCHEMA + ": " + e.getMessage(), e);
        }
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        String apiKey = HexFormat.of().formatHex(key);
        int apiPort = FreePort.tcp();
        String d = dir.toAbsolutePath().toString();
        Files.writeString(dir.resolve("pdns.conf"), String.join("\n",
                "launch=gsqlite3", "gsqlite3-database=" + db.toAbsolutePath(),
                "local-address=" + String.join(", ", addresses), "local-port=" + dnsPort,
                "api=yes", "api-key=" + apiKey, "webserver=yes", "webserver-address=127.0.0.1", "webserver-port=" + apiPort,
                "webserver-allow-from=127.0.0.0/8", "socket-dir=" + d, "guardian=no", "daemon=no",
                "cache-ttl=0", "negquery-cache-ttl=0", "query-cache-ttl=0", "zone-cache-refresh-interval=0", "") );
        dir.toFile().setWritable(true, false);
        ManagedProcess p = ManagedProcess.start("pdns_server", List.of(PDNS, "--config-dir=" + d), dir.resolve("pdns.log"));
        PowerDnsFixture pdns = new PowerDnsFixture(p, addresses, dnsPort, apiPort, apiKey);
        try {
            p.awaitReady(Duration.ofSeconds(15), () -> Poll.accepts(apiPort) && pdns.answersDns());
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return pdns;
    }

    private boolean answersDns() {
        try {
            SimpleResolver r = new SimpleResolver(new InetSocketAddress(addresses.get(0), dnsPort));
            r.setTimeout(Duration.ofMillis(300));
            Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString("probe.invalid."), Type.SOA, DClass.IN)));
            return m != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates a native zone whose NS records are {@code nameservers} (host → address, e.g.
     * "ns1.example.test." → "127.0.0.2"), with more records as {@code name type content} lines.
     */
    public void createZone(String zone, Map<String, String> nameservers, List<String> records) throws IOException {
        String apex = zone.endsWith(".") ? zone : zone + ".";
        Map<String, List<String>> rrsets = new LinkedHashMap<>();
        nameservers.forEach((host, address) -> rrsets.computeIfAbsent(host + "|A", k -> new ArrayList<>()).add(address));
        for (String line : records) {
            String[] f = line.split(" ", 3);
            rrsets.computeIfAbsent(f[0] + "|" + f[1], k -> new ArrayList<>()).add(f[2]);
        }
        List<Map<String, Object>> sets = new ArrayList<>();
        rrsets.forEach((k, contents) -> sets.add(Map.of("name", k.substring(0, k.indexOf('|')), "type", k.substring(k.indexOf('|') + 1),
                "ttl", 60, "records", contents.stream().map(c -> Map.of("content", c, "disabled", false)).toList())));
        Map<String, Object> body = Map.of("name", apex, "kind", "Native", "nameservers", List.copyOf(nameservers.keySet()), "rrsets", sets);
        HttpResponse<String> r = send("POST", "/api/v1/servers/localhost/zones", JSON.writeValueAsString(body));
        if (r.statusCode() != 201) throw new IOException("PowerDNS refused zone " + apex + ": HTTP " + r.statusCode() + " " + r.body());
    }

    /** One API call with the key; for assertions and setup. */
    public HttpResponse<String> send(String method, String path, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl() + path)).header("X-API-Key", apiKey)
                .timeout(Duration.ofSeconds(5));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** "http://127.0.0.1:PORT" (the API and webserver). */
    public String apiUrl() { return "http://127.0.0.1:" + apiPort; }

    /** The API key (a throwaway made for this instance). */
    public String apiKey() { return apiKey; }

    public int dnsPort() { return dnsPort; }

    /** "ADDRESS:PORT" of the first DNS address. */
    public String dnsHostPort() { return addresses.get(0) + ":" + dnsPort; }

    public String log() { return process.log(); }

    @Override public void close() { process.close(); }
}

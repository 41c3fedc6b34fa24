package dev.certops.testing;

import dev.certops.acme.dns.Resolvers;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real pebble-challtestsrv (DNS only) on free loopback ports: TXT, A, CAA records and SERVFAIL
 * through its management API. Pebble resolves through it ({@code -dnsserver}).
 */
public final class ChallTestSrvFixture implements AutoCloseable {
    private final ManagedProcess process;
    private final int managementPort;
    private final int dnsPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private ChallTestSrvFixture(ManagedProcess process, int managementPort, int dnsPort) {
        this.process = process;
        this.managementPort = managementPort;
        this.dnsPort = dnsPort;
    }

    public static ChallTestSrvFixture start(Path dir) throws IOException {
        int mgmt = FreePort.tcp();
        int dns = FreePort.tcpAndUdp();
        ManagedProcess p = ManagedProcess.start("pebble-challtestsrv", List.of("pebble-challtestsrv",
                "-management", "127.0.0.1:" + mgmt, "-dns01", "127.0.0.1:" + dns,
                "-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv6", ""), dir.resolve("challtestsrv.log"));
        ChallTestSrvFixture srv = new ChallTestSrvFixture(p, mgmt, dns);
        try {
            // ready means serving, not just listening: the management API answers a request and the
            // DNS server answers a query (challtestsrv exits when its DNS port cannot be bound, which
            // can happen after its management port already accepted a connection)
            p.awaitReady(Duration.ofSeconds(10), () -> Poll.accepts(mgmt) && srv.serving());
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return srv;
    }

    private boolean serving() {
        try {
            http.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            SimpleResolver dns = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
            dns.setTimeout(Duration.ofMillis(500));
            dns.send(Message.newQuery(Record.newRecord(Name.fromString("ready.test."), Type.A, DClass.IN)));
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String managementUrl() { return "http://127.0.0.1:" + managementPort; }

    /** "127.0.0.1:PORT" of the DNS server. */
    public String dnsHostPort() { return "127.0.0.1:" + dnsPort; }

    public Resolvers resolvers() { return Resolvers.of(List.of(dnsHostPort())); }

    /** POSTs a JSON body to the management API. */
    public void post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(managementUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
    }

    public void addCaa(String host, String tag, String value) throws IOException, InterruptedException {
        post("/add-caa", "{\"host\":\"" + host + "\",\"policies\":[{\"tag\":\"" + tag + "\",\"value\":\"" + value + "\"}]}");
    }

    public void addCaa(String host, String json) throws IOException, InterruptedException {
        post("/add-caa", "{\"host\":\"" + host + "\",\"policies\":" + json + "}");
    }

    public void setServfail(String host) throws IOException, InterruptedException {
        post("/set-servfail", "{\"host\":\"" + host + "\"}");
    }

    /** The DNS port, for Pebble's -dnsserver and the workspace's resolvers. */
    public int dnsPort() { return dnsPort; }

    /** Publishes a TXT record (fqdn with the trailing dot). */
    public void setTxt(String fqdn, String value) throws IOException, InterruptedException {
        post("/set-txt", "{\"host\":\"" + fqdn + "\",\"value\":\"" + value + "\"}");
    }

    public void clearTxt(String fqdn) throws IOException, InterruptedException {
        post("/clear-txt", "{\"host\":\"" + fqdn + "\"}");
    }

    /** Answers A queries for {@code host} with these addresses. */
    public void addA(String host, String... addresses) throws IOException, InterruptedException {
        post("/add-a", "{\"host\":\"" + host + "\",\"addresses\":[\"" + String.join("\",\"", addresses) + "\"]}");
    }

    @Override public void close() { process.close(); }
}

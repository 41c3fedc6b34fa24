package dev.certops.acme.dns;

import dev.certops.testing.LabProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real pebble-challtestsrv (DNS only) on free loopback ports, for this package's tests.
 * Stand-in until the shared ChallTestSrvFixture lands on main.
 */
final class ChallTestSrv implements AutoCloseable {
    private final LabProcess process;
    private final int managementPort;
    private final int dnsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ChallTestSrv(LabProcess process, int managementPort, int dnsPort) {
        this.process = process;
        this.managementPort = managementPort;
        this.dnsPort = dnsPort;
    }

    static ChallTestSrv start(Path dir) throws IOException {
        int mgmt = LabProcess.freePort();
        int dns = LabProcess.freePort();
        LabProcess p = LabProcess.start("pebble-challtestsrv", List.of("pebble-challtestsrv",
                "-management", "127.0.0.1:" + mgmt, "-dns01", "127.0.0.1:" + dns,
                "-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv6", ""), dir.resolve("challtestsrv.log"));
        ChallTestSrv srv = new ChallTestSrv(p, mgmt, dns);
        try {
            p.awaitReady(Duration.ofSeconds(10), () -> accepts(mgmt));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return srv;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String managementUrl() { return "http://127.0.0.1:" + managementPort; }

    /** "127.0.0.1:PORT" of the DNS server. */
    String dnsHostPort() { return "127.0.0.1:" + dnsPort; }

    Resolvers resolvers() { return Resolvers.of(List.of(dnsHostPort())); }

    /** POSTs a JSON body to the management API. */
    void post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(managementUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
    }

    void addCaa(String host, String tag, String value) throws IOException, InterruptedException {
        post("/add-caa", "{\"host\":\"" + host + "\",\"policies\":[{\"tag\":\"" + tag + "\",\"value\":\"" + value + "\"}]}");
    }

    void addCaa(String host, String json) throws IOException, InterruptedException {
        post("/add-caa", "{\"host\":\"" + host + "\",\"policies\":" + json + "}");
    }

    void setServfail(String host) throws IOException, InterruptedException {
        post("/set-servfail", "{\"host\":\"" + host + "\"}");
    }

    @Override public void close() { process.close(); }
}

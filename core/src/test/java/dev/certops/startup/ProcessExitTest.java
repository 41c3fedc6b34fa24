package dev.certops.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessExitTest {

    @Test
    void anIdleHttpClientsSelectorThreadEndsBeforeTheJvmExits() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("ok");
            assertThat(selectorThreads()).as("the client's selector thread, blocked in a native call while the client lives").isNotEmpty();

            ProcessExit.releaseIdleHttpClients();

            assertThat(selectorThreads()).as("no selector thread left for the JVM's exit to wait for").isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void recognisesTheJdkHttpClientSelectorThreadsByName() {
        assertThat(ProcessExit.isHttpClientSelector("HttpClient-1-SelectorManager")).isTrue();
        assertThat(ProcessExit.isHttpClientSelector("HttpClient-12-SelectorManager")).isTrue();
        assertThat(ProcessExit.isHttpClientSelector("HttpClient-1-Worker-0")).isFalse();
        assertThat(ProcessExit.isHttpClientSelector("certops-lease-renewer")).isFalse();
    }

    private static List<Thread> selectorThreads() {
        Thread[] all = new Thread[Thread.activeCount() + 64];
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        int n = root.enumerate(all, true);
        return Arrays.stream(all, 0, n).filter(t -> t.isAlive() && ProcessExit.isHttpClientSelector(t.getName())).toList();
    }
}

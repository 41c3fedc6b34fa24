package dev.certops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.certops.testing.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP receiver on a free loopback port (webhook, Slack or PagerDuty endpoint): records every
 * POST and answers with the queued status codes, then 200 (202 for PagerDuty's path).
 */
public final class AlertReceiver implements AutoCloseable {
    public record Request(String path, String contentType, String body) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger hangs = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();

    public AlertReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePort.tcp()), 16);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Request(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"), body));
            }
            if (hangs.getAndDecrement() > 0) {
                try {
                    released.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            Integer queued = statuses.poll();
            int status = queued != null ? queued : exchange.getRequestURI().getPath().endsWith("/enqueue") ? 202 : 200;
            byte[] answer = (status < 300 ? "ok" : "receiver error " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(pool);
        server.start();
    }

    /** The next requests are answered with these statuses, in order. */
    public AlertReceiver answer(Integer... codes) {
        statuses.addAll(List.of(codes));
        return this;
    }

    /** The next {@code n} requests get no answer until the receiver closes (a hung receiver). */
    public AlertReceiver hang(int n) {
        hangs.set(n);
        return this;
    }

    public String url(String path) { return "http://127.0.0.1:" + server.getAddress().getPort() + path; }

    public int port() { return server.getAddress().getPort(); }

    public List<Request> requests() { return new ArrayList<>(requests); }

    public List<Request> requests(String path) { return requests.stream().filter(r -> r.path().equals(path)).toList(); }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}

package dev.certops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A local server that follows acme-dns's documented HTTP API (https://github.com/joohoi/acme-dns#api):
 * <ul>
 *   <li>{@code POST /register}, optional body {@code {"allowfrom": ["CIDR", ...]}}, answers 201 Created with
 *       {@code {"allowfrom", "fulldomain", "password", "subdomain", "username"}}; a network that is not CIDR
 *       gets 400 {@code {"error": "invalid_allowfrom_cidr"}}.</li>
 *   <li>{@code POST /update} with headers {@code X-Api-User}, {@code X-Api-Key} and {@code {"subdomain", "txt"}},
 *       answers {@code {"txt": ...}}; 401 {@code {"error": "forbidden"}} for unknown credentials, 400
 *       {@code {"error": "bad_subdomain"}}, 400 {@code {"error": "bad_txt"}} for a value that is not 43 characters.</li>
 * </ul>
 * acme-dns serves the TXT itself; this stand-in hands each accepted value to {@code publish(fulldomain, txt)}
 * (e.g. into a real BIND zone) and keeps the two most recent values per subdomain, as acme-dns does.
 */
public final class AcmeDnsStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CIDR = Pattern.compile("[0-9a-fA-F:.]+/\\d{1,3}");

    /** An account: what /register answered. */
    public record Account(String username, String password, String subdomain, String fulldomain, List<String> allowfrom) { }

    private final String domain;
    private final BiConsumer<String, String> publish;
    private final HttpServer server;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, List<String>> values = new ConcurrentHashMap<>();
    private final List<String> registrations = new CopyOnWriteArrayList<>();

    private AcmeDnsStandIn(String domain, BiConsumer<String, String> publish) throws IOException {
        this.domain = domain;
        this.publish = publish;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/register", this::register);
        server.createContext("/update", this::update);
        server.start();
    }

    /** Starts on a free loopback port; accounts get fulldomains under {@code domain} (acme-dns's {@code general.domain}). */
    public static AcmeDnsStandIn start(String domain, BiConsumer<String, String> publish) throws IOException {
        return new AcmeDnsStandIn(domain, publish);
    }

    /** Adds an account as if registered earlier. */
    public void add(Account account) { accounts.put(account.username(), account); }

    public String url() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    /** The bodies of every /register request, in order. */
    public List<String> registrations() { return List.copyOf(registrations); }

    /** The accounts registered through /register or {@link #add}. */
    public List<Account> accounts() { return List.copyOf(accounts.values()); }

    /** The TXT values acme-dns would serve for {@code subdomain} (at most the two latest). */
    public List<String> values(String subdomain) { return List.copyOf(values.getOrDefault(subdomain, List.of())); }

    private void register(HttpExchange ex) throws IOException {
        try (ex) {
            String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            registrations.add(raw);
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, Map.of("error", "method_not_allowed"));
                return;
            }
            List<String> allow = new ArrayList<>();
            if (!raw.isBlank()) {
                for (JsonNode n : JSON.readTree(raw).path("allowfrom")) {
                    if (!CIDR.matcher(n.asText()).matches()) {
                        reply(ex, 400, Map.of("error", "invalid_allowfrom_cidr"));
                        return;
                    }
                    allow.add(n.asText());
                }
            }
            String sub = UUID.randomUUID().toString();
            Account a = new Account(UUID.randomUUID().toString(), UUID.randomUUID().toString().replace("-", "") + "Xy_9", sub, sub + "." + domain, allow);
            accounts.put(a.username(), a);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("allowfrom", a.allowfrom());
            body.put("fulldomain", a.fulldomain());
            body.put("password", a.password());
            body.put("subdomain", a.subdomain());
            body.put("username", a.username());
            reply(ex, 201, body);
        }
    }

    private void update(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode body = JSON.readTree(ex.getRequestBody());
            Account a = accounts.get(String.valueOf(ex.getRequestHeaders().getFirst("X-Api-User")));
            String txt = body.path("txt").asText();
            if (a == null || !a.password().equals(ex.getRequestHeaders().getFirst("X-Api-Key"))) {
                reply(ex, 401, Map.of("error", "forbidden"));
            } else if (!a.subdomain().equals(body.path("subdomain").asText())) {
                reply(ex, 400, Map.of("error", "bad_subdomain"));
            } else if (txt.length() != 43) {
                reply(ex, 400, Map.of("error", "bad_txt"));
            } else {
                List<String> kept = values.computeIfAbsent(a.subdomain(), k -> new CopyOnWriteArrayList<>());
                kept.add(txt);
                while (kept.size() > 2) kept.remove(0);
                publish.accept(a.fulldomain(), txt);
                reply(ex, 200, Map.of("txt", txt));
            }
        }
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override public void close() { server.stop(0); }
}

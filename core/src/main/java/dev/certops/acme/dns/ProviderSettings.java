package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import dev.certops.config.Durations;
import dev.certops.config.SecretRef;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one provider's {@code settings:} map: every default lives here, every error is prefixed with
 * the provider type, names the key and says what to write instead.
 */
final class ProviderSettings {
    static final Duration DEFAULT_PROPAGATION_TIMEOUT = Duration.ofMinutes(2);
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(60);
    static final long DEFAULT_TTL = 60;
    static final String DEFAULT_TSIG_ALGORITHM = "hmac-sha256";

    /** Keys every provider accepts (its {@link PropagationSettings}). */
    static final Set<String> COMMON_KEYS = Set.of("propagationTimeout", "pollInterval", "nameserverPort", "zones");

    private final DnsConfig cfg;

    private ProviderSettings(DnsConfig cfg) { this.cfg = cfg; }

    /** Checks that {@code cfg} uses only {@code known} keys (plus the common ones). */
    static ProviderSettings of(DnsConfig cfg, Set<String> known) throws DnsProviderException {
        ProviderSettings s = new ProviderSettings(cfg);
        Set<String> all = new TreeSet<>(known);
        all.addAll(COMMON_KEYS);
        for (String key : s.settings().keySet()) {
            if (!all.contains(key)) {
                throw s.error("unknown key '" + key + "'; the keys for this type are " + String.join(", ", all));
            }
        }
        return s;
    }

    String type() { return cfg.type(); }

    String id() { return cfg.id(); }

    Optional<String> optional(String key) {
        String v = settings().get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    String required(String key, String example) throws DnsProviderException {
        return optional(key).orElseThrow(() -> error("key '" + key + "' is required; for example " + key + ": " + example));
    }

    Duration duration(String key, Duration dflt) throws DnsProviderException {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) return dflt;
        return Durations.parse(raw.get()).filter(d -> !d.isZero()).orElseThrow(() -> error("key '" + key + "' has '"
                + raw.get() + "', which is not a positive duration; write " + Durations.ALLOWED));
    }

    long number(String key, long dflt, long min, long max) throws DnsProviderException {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) return dflt;
        try {
            long n = Long.parseLong(raw.get());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error("key '" + key + "' has '" + raw.get() + "'; write a whole number from " + min + " to " + max);
    }

    PropagationSettings propagation() throws DnsProviderException {
        Duration timeout = duration("propagationTimeout", DEFAULT_PROPAGATION_TIMEOUT);
        Duration interval = duration("pollInterval", DEFAULT_POLL_INTERVAL);
        int port = (int) number("nameserverPort", 53, 1, 65_535);
        return new Timing(timeout, interval, port);
    }

    /** An error about this provider's configuration: "TYPE: MESSAGE (dns provider 'ID', line N)". */
    DnsProviderException error(String message) {
        return new DnsProviderException(cfg.type() + ": " + message + where());
    }

    private String where() {
        return " (dns provider '" + cfg.id() + "'" + (cfg.line() > 0 ? ", certops.yaml line " + cfg.line() : "") + ")";
    }

    private Map<String, String> settings() { return cfg.settings() == null ? Map.of() : cfg.settings(); }

    /** A duration as written in certops.yaml: 300ms, 45s, 2m. */
    static String format(Duration d) { return Durations.format(d); }

    /** The propagation timing every built provider reports. */
    record Timing(Duration propagationTimeout, Duration pollInterval, int nameserverPort) implements PropagationSettings { }

    /**
     * The value of a credential key, which must be a {@code secret:NAME} reference: read through
     * {@code secretReader}, never taken literally from certops.yaml (which teams keep in git).
     */
    String secret(String key, String exampleName, Function<String, byte[]> secretReader) throws DnsProviderException {
        SecretRef ref = new SecretRef(required(key, "secret:" + exampleName));
        if (ref.name().isEmpty() || ref.name().get().isBlank()) {
            throw error("key '" + key + "' must be a secret reference such as 'secret:" + exampleName
                    + "' (a file in the workspace's secrets/ folder, stored with `certops secret set`); literal credentials are not accepted");
        }
        String name = ref.name().get();
        byte[] raw;
        try {
            raw = secretReader.apply(name);
        } catch (RuntimeException e) {
            throw error("cannot read secret '" + name + "' named by key '" + key + "': " + e.getMessage());
        }
        if (raw == null) throw error("secret '" + name + "' named by key '" + key + "' does not exist; create secrets/" + name + " with `certops secret set " + name + "`");
        String value = new String(raw, StandardCharsets.UTF_8).strip();
        if (value.isEmpty()) throw error("secret '" + name + "' named by key '" + key + "' is empty");
        return value;
    }

    /** An http(s) base URL without a trailing slash, from {@code key} (or {@code dflt} when left out). */
    URI baseUrl(String key, String dflt, String example) throws DnsProviderException {
        String raw = optional(key).orElse(dflt);
        if (raw == null) raw = required(key, example);
        String trimmed = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        try {
            URI uri = new URI(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (URISyntaxException e) {
            // reported below
        }
        throw error("key '" + key + "' has '" + raw + "', which is not an http(s) URL; write e.g. " + example);
    }
}

package dev.certops.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code history:} section (team mode). */
final class HistorySection {
    private static final Set<String> KEYS = Set.of("url", "user", "password", "ssl", "leaseTtl");
    static final Set<String> SSL = Set.of("require", "verify-full", "disable");

    private HistorySection() { }

    static Optional<HistoryConfig> read(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.entries(KEYS);
        YamlNode u = YamlNode.req(node, m, "url", "the shared history, e.g. jdbc:postgresql://db.internal:5432/certops");
        String url = u.text();
        if (!url.matches("jdbc:postgresql://[^/?#\\s]+/[A-Za-z0-9_.-]+")) {
            throw u.error("'" + SafeNames.printable(url) + "' is not a PostgreSQL URL — allowed: "
                    + "jdbc:postgresql://HOST:PORT/DATABASE (no parameters; the password goes in password:)");
        }
        String user = YamlNode.req(node, m, "user", "the database user, e.g. certops").text();
        Optional<SecretRef> password = Optional.empty();
        if (m.containsKey("password")) {
            String p = m.get("password").text();
            if (!p.startsWith(SecretRef.PREFIX) || p.length() == SecretRef.PREFIX.length()) {
                throw m.get("password").error("must be a secret: reference (e.g. \"secret:pg\", a file in secrets/) — "
                        + "keep the password itself out of certops.yaml, or leave password out and set $"
                        + HistoryConfig.ENV_PASSWORD);
            }
            password = Optional.of(new SecretRef(p));
        }
        String ssl = "require";
        if (m.containsKey("ssl")) {
            ssl = m.get("ssl").text();
            if (!SSL.contains(ssl)) {
                throw m.get("ssl").error("'" + ssl + "' is not an ssl mode — allowed: require, verify-full, disable");
            }
        }
        Duration ttl = HistoryConfig.DEFAULT_LEASE_TTL;
        if (m.containsKey("leaseTtl")) {
            YamlNode t = m.get("leaseTtl");
            String text = t.text();
            ttl = Durations.parse(text).filter(d -> d.compareTo(Duration.ofSeconds(2)) >= 0 && d.compareTo(Duration.ofHours(1)) <= 0)
                    .orElseThrow(() -> t.error("'" + SafeNames.printable(text) + "' is not a lease lifetime — allowed: "
                            + "2s to 1h, " + Durations.ALLOWED + "; default 60s"));
        }
        return Optional.of(new HistoryConfig(url, user, password, ssl, ttl, node.line()));
    }
}

package dev.certops.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code alerts:} section. Values that may hold a credential (URLs, routing keys, passwords) are
 * never repeated in an error message.
 */
final class AlertsSection {
    static final List<String> TYPES = List.of("webhook", "slack", "pagerduty", "email");
    private static final Set<String> COMMON = Set.of("id", "type", "repeatAfter");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\"]+@[A-Za-z0-9.-]+");
    private static final Pattern SMTP = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?");

    private AlertsSection() { }

    /** {@code workspace}: the folder of certops.yaml, against which {@code trust:} paths resolve. */
    static AlertsConfig read(YamlNode node, Path workspace) throws ConfigException {
        Duration repeat = AlertsConfig.DEFAULT_REPEAT_AFTER;
        YamlNode list = node;
        if (node.isMap()) {
            Map<String, YamlNode> m = node.entries(Set.of("repeatAfter", "channels"));
            repeat = ConfigLoader.duration(m, "repeatAfter", repeat);
            list = YamlNode.req(node, m, "channels", "the list of channels, e.g. channels: [{ id: ops, type: webhook, url: \"https://...\" }]");
        }
        List<AlertChannelConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode item : list.items()) out.add(channel(item, ids, repeat, workspace));
        return new AlertsConfig(out, repeat);
    }

    private static AlertChannelConfig channel(YamlNode item, Set<String> ids, Duration defaultRepeat, Path workspace) throws ConfigException {
        Map<String, YamlNode> all = item.entries();
        String id = Ids.unique(item, all, ids, "alert channel");
        YamlNode typeNode = YamlNode.req(item, all, "type", "one of " + String.join(", ", TYPES));
        String type = typeNode.text();
        if (!TYPES.contains(type)) {
            throw typeNode.error("'" + SafeNames.printable(type) + "' is not an alert channel type — allowed: " + String.join(", ", TYPES));
        }
        Map<String, YamlNode> m = item.entries(keys(type));
        Duration repeat = ConfigLoader.duration(m, "repeatAfter", defaultRepeat);
        int line = item.line();
        switch (type) {
            case "webhook":
                return new AlertChannelConfig.Webhook(id, url(item, m, "url", "where to POST the JSON, e.g. \"https://hooks.example.com/certops\" or \"secret:NAME\""), repeat, line);
            case "slack":
                return new AlertChannelConfig.Slack(id, url(item, m, "url", "the Slack incoming-webhook URL, best as \"secret:NAME\" (a file in secrets/)"), repeat, line);
            case "pagerduty":
                SecretRef key = secretOrLiteral(YamlNode.req(item, m, "routingKey", "the Events API v2 integration (routing) key, best as \"secret:NAME\""));
                Optional<String> events = Optional.empty();
                if (m.containsKey("url")) {
                    SecretRef u = url(item, m, "url", "");
                    if (u.isReference()) throw m.get("url").error("must be a plain https:// URL (the events endpoint carries no secret)");
                    events = Optional.of(u.raw());
                }
                return new AlertChannelConfig.PagerDuty(id, key, events, repeat, line);
            default:
                return email(item, m, id, repeat, line, workspace);
        }
    }

    private static Set<String> keys(String type) {
        Set<String> k = new HashSet<>(COMMON);
        switch (type) {
            case "webhook", "slack" -> k.add("url");
            case "pagerduty" -> k.addAll(Set.of("routingKey", "url"));
            default -> k.addAll(Set.of("smtp", "from", "to", "user", "password", "starttls", "trust"));
        }
        return k;
    }

    private static AlertChannelConfig email(YamlNode item, Map<String, YamlNode> m, String id, Duration repeat, int line, Path workspace)
            throws ConfigException {
        YamlNode smtpNode = YamlNode.req(item, m, "smtp", "the submission server as host:port, e.g. \"smtp.example.com:587\"");
        var sm = SMTP.matcher(smtpNode.text());
        if (!sm.matches()) throw smtpNode.error("'" + SafeNames.printable(smtpNode.text()) + "' is not host:port — e.g. \"smtp.example.com:587\"");
        int port = sm.group(2) == null ? 587 : Integer.parseInt(sm.group(2));
        if (port < 1 || port > 65535) throw smtpNode.error("port " + port + " is out of range — allowed: 1 to 65535 (submission is 587)");
        String host = sm.group(1).replace("[", "").replace("]", "");
        YamlNode fromNode = YamlNode.req(item, m, "from", "the sender address, e.g. certops@example.com");
        String from = address(fromNode, fromNode.text());
        YamlNode toNode = YamlNode.req(item, m, "to", "the recipients, e.g. [oncall@example.com]");
        List<String> to = new ArrayList<>();
        if (toNode.isScalar()) to.add(address(toNode, toNode.text()));
        else for (YamlNode t : toNode.items()) to.add(address(t, t.text()));
        if (to.isEmpty()) throw toNode.error("is empty — give at least one recipient, e.g. [oncall@example.com]");
        Optional<String> user = m.containsKey("user") ? Optional.of(m.get("user").text()) : Optional.empty();
        Optional<SecretRef> password = Optional.empty();
        if (m.containsKey("password")) {
            YamlNode p = m.get("password");
            SecretRef ref = secretOrLiteral(p);
            if (!ref.isReference()) {
                throw p.error("must be a secret: reference (e.g. \"secret:smtp\", a file in secrets/) — keep the password itself out of certops.yaml");
            }
            password = Optional.of(ref);
        }
        if (user.isPresent() != password.isPresent()) {
            throw item.error(user.isPresent() ? "'user' needs 'password' (e.g. password: \"secret:smtp\")"
                    : "'password' needs 'user' (the SMTP login)");
        }
        AlertChannelConfig.StartTls tls = AlertChannelConfig.StartTls.REQUIRED;
        if (m.containsKey("starttls")) {
            String t = m.get("starttls").text();
            if (!Set.of("required", "optional").contains(t)) {
                throw m.get("starttls").error("'" + SafeNames.printable(t) + "' is not a starttls mode — allowed: required (default), optional");
            }
            tls = AlertChannelConfig.StartTls.valueOf(t.toUpperCase(Locale.ROOT));
        }
        Optional<Path> trust = m.containsKey("trust") ? Optional.of(trust(m.get("trust"), workspace)) : Optional.empty();
        return new AlertChannelConfig.Email(id, host, port, from, to, user, password, tls, trust, repeat, line);
    }

    /**
     * The trust: file, resolved against the workspace. Whether it can be used is checked by
     * {@code certops config check} (and named by the channel when it sends): a broken alert channel
     * never makes the whole configuration — and so renewals — fail.
     */
    private static Path trust(YamlNode n, Path workspace) throws ConfigException {
        String text = n.text();
        try {
            return workspace.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw n.error("'" + SafeNames.printable(text) + "' is not a file path — give a PEM file with the CA certificate that issued the SMTP server's certificate,"
                    + " relative to the workspace, e.g. trust: certs/internal-ca.pem");
        }
    }

    private static String address(YamlNode n, String text) throws ConfigException {
        if (!ADDRESS.matcher(text).matches()) throw n.error("'" + SafeNames.printable(text) + "' is not an email address — e.g. oncall@example.com");
        return text;
    }

    /** A secret: reference, or a literal http(s) URL (whose text is never repeated: it may carry a token). */
    private static SecretRef url(YamlNode item, Map<String, YamlNode> m, String key, String what) throws ConfigException {
        YamlNode n = YamlNode.req(item, m, key, what);
        SecretRef ref = secretOrLiteral(n);
        if (ref.isReference()) return ref;
        String u = ref.raw();
        boolean ok;
        try {
            URI uri = new URI(u);
            ok = ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            ok = false;
        }
        if (!ok) throw n.error("is not an http(s) URL — give \"https://HOST/PATH\" or a \"secret:NAME\" reference to a file in secrets/ holding it");
        return ref;
    }

    private static SecretRef secretOrLiteral(YamlNode n) throws ConfigException {
        SecretRef ref = new SecretRef(n.text());
        if (ref.isReference() && (!SECRET_NAME.matcher(ref.name().orElseThrow()).matches() || ref.raw().contains(".."))) {
            throw n.error("'" + SafeNames.printable(ref.raw()) + "' is not a secret reference — allowed: \"secret:NAME\", NAME of letters, digits, '.', '_', '-', one optional 'folder/'");
        }
        return ref;
    }
}

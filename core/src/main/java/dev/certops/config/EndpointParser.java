package dev.certops.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses {@code "host:port"} or {@code { host, port, sni, starttls }} into an {@link Endpoint}. */
final class EndpointParser {
    private EndpointParser() { }

    static Endpoint parse(YamlNode n, Optional<String> defaultSni) throws ConfigException {
        if (n.isMap()) {
            Map<String, YamlNode> m = n.entries(Set.of("host", "port", "sni", "starttls"));
            String host = host(YamlNode.req(n, m, "host", "the address to connect to"));
            Endpoint.StartTls starttls = m.containsKey("starttls") ? starttls(m.get("starttls")) : Endpoint.StartTls.NONE;
            int port = m.containsKey("port") ? m.get("port").integer(1, 65535) : starttls == Endpoint.StartTls.NONE ? 443 : starttls.defaultPort();
            String sni = m.containsKey("sni") ? sni(m.get("sni")) : defaultSni.orElse(host);
            return new Endpoint(host, port, sni, starttls);
        }
        String t = n.text();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || t.contains("]") && !t.startsWith("[")) {
            throw n.error("'" + SafeNames.printable(t) + "' is not an endpoint — allowed: \"host:port\" (e.g. api.example.com:443) or { host, port, sni }");
        }
        String host = t.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw n.error("'" + SafeNames.printable(t) + "': the port is not a number — allowed: \"host:port\"");
        }
        if (port < 1 || port > 65535) throw n.error("port " + port + " is out of range — allowed: 1 to 65535");
        var problem = SafeNames.addressProblem(host);
        if (problem.isPresent() || host.equals(HostConfig.LOCAL)) throw n.error(problem.orElse("'local' is not an endpoint address"));
        return new Endpoint(host, port, defaultSni.orElse(host));
    }

    private static Endpoint.StartTls starttls(YamlNode n) throws ConfigException {
        String t = n.text();
        for (Endpoint.StartTls p : Endpoint.StartTls.values()) {
            if (p != Endpoint.StartTls.NONE && p.label().equals(t.toLowerCase(Locale.ROOT))) return p;
        }
        throw n.error("'" + SafeNames.printable(t) + "' is not a STARTTLS protocol — allowed: smtp, imap, pop3, ldap, postgres (or leave starttls: out for TLS from the first byte)");
    }

    private static String host(YamlNode n) throws ConfigException {
        String h = n.text();
        var p = SafeNames.addressProblem(h);
        if (p.isPresent()) throw n.error(p.get());
        return h;
    }

    private static String sni(YamlNode n) throws ConfigException {
        String s = n.text();
        var p = SafeNames.dnsNameProblem(s, false);
        if (p.isPresent()) throw n.error(p.get());
        return s;
    }
}

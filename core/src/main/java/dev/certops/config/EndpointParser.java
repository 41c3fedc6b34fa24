package dev.certops.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses {@code "host:port"} or {@code { host, port, sni }} into an {@link Endpoint}. */
final class EndpointParser {
    private EndpointParser() { }

    static Endpoint parse(YamlNode n, Optional<String> defaultSni) throws ConfigException {
        if (n.isMap()) {
            Map<String, YamlNode> m = n.entries(Set.of("host", "port", "sni"));
            String host = host(YamlNode.req(n, m, "host", "the address to connect to"));
            int port = m.containsKey("port") ? m.get("port").integer(1, 65535) : 443;
            String sni = m.containsKey("sni") ? sni(m.get("sni")) : defaultSni.orElse(host);
            return new Endpoint(host, port, sni);
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

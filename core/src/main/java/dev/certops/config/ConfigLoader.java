package dev.certops.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates certops.yaml. Every section is optional. Nothing is touched on error: the
 * caller gets a {@link ConfigException} that names file, line and key, what is wrong and what is
 * allowed.
 */
public final class ConfigLoader {
    private static final Set<String> TOP = Set.of("resolvers", "cas", "dns", "hosts", "certificates", "endpoints", "thresholds", "history", "renew", "alerts");

    private ConfigLoader() { }

    public static CertopsConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "", "file not found — create a workspace with `certops init` or pass --workspace DIR");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot be read: " + e.getMessage());
        }
        return parse(file, text);
    }

    public static CertopsConfig parse(Path file, String text) throws ConfigException {
        Optional<YamlNode> root = YamlNode.parse(file, text);
        if (root.isEmpty()) return CertopsConfig.empty(file);
        YamlNode top = root.get();
        if (!top.isMap()) throw top.error("the file must be a mapping of sections (" + String.join(", ", TOP) + ")");
        Map<String, YamlNode> sections = top.entries(TOP);

        List<String> resolvers = new ArrayList<>();
        if (sections.containsKey("resolvers")) {
            for (YamlNode r : sections.get("resolvers").items()) {
                String v = r.text();
                if (!v.matches("[0-9A-Za-z.:\\[\\]-]+(:\\d{1,5})?")) throw r.error("'" + v + "' is not a resolver — allowed: host or host:port, e.g. 1.1.1.1:53");
                resolvers.add(v);
            }
        }
        List<CaConfig> cas = sections.containsKey("cas") ? CaSection.read(sections.get("cas")) : List.of();
        List<DnsConfig> dns = sections.containsKey("dns") ? readDns(sections.get("dns")) : List.of();
        List<HostConfig> hosts = sections.containsKey("hosts") ? HostSection.read(sections.get("hosts")) : List.of();
        Thresholds thresholds = sections.containsKey("thresholds") ? readThresholds(sections.get("thresholds")) : Thresholds.DEFAULT;
        RenewConfig renew = sections.containsKey("renew") ? readRenew(sections.get("renew")) : RenewConfig.DEFAULT;
        List<Endpoint> endpoints = new ArrayList<>();
        if (sections.containsKey("endpoints")) {
            for (YamlNode e : sections.get("endpoints").items()) endpoints.add(EndpointParser.parse(e, Optional.empty()));
        }
        HostSection.checkJumps(hosts, sections.get("hosts"));
        List<CertificateConfig> certs = sections.containsKey("certificates")
                ? CertificateSection.read(sections.get("certificates"), cas, dns, hosts) : List.of();
        Optional<HistoryConfig> history = sections.containsKey("history")
                ? HistorySection.read(sections.get("history")) : Optional.empty();
        AlertsConfig alerts = sections.containsKey("alerts") ? AlertsSection.read(sections.get("alerts"), file.toAbsolutePath().getParent()) : AlertsConfig.NONE;
        return new CertopsConfig(file, List.copyOf(resolvers), cas, dns, hosts, certs, List.copyOf(endpoints), thresholds,
                history, renew, alerts);
    }

    private static List<DnsConfig> readDns(YamlNode list) throws ConfigException {
        List<DnsConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode item : list.items()) {
            Map<String, YamlNode> m = item.entries();
            String id = Ids.unique(item, m, ids, "a DNS provider");
            String type = YamlNode.req(item, m, "type", "one of challtestsrv, rfc2136, exec").text();
            if (!Set.of("challtestsrv", "rfc2136", "exec").contains(type)) {
                throw m.get("type").error("'" + type + "' is not a DNS provider type — allowed: challtestsrv, rfc2136, exec");
            }
            Map<String, String> settings = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> e : m.entrySet()) {
                if (!e.getKey().equals("id") && !e.getKey().equals("type")) settings.put(e.getKey(), e.getValue().text());
            }
            out.add(new DnsConfig(id, type, Map.copyOf(settings), item.line()));
        }
        return List.copyOf(out);
    }

    private static Thresholds readThresholds(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.entries(Set.of("warning", "critical", "emergency"));
        Thresholds d = Thresholds.DEFAULT;
        java.time.Duration w = duration(m, "warning", d.warning());
        java.time.Duration c = duration(m, "critical", d.critical());
        java.time.Duration e = duration(m, "emergency", d.emergency());
        if (!(w.compareTo(c) > 0 && c.compareTo(e) > 0)) {
            throw node.error("must satisfy warning > critical > emergency (given " + Durations.format(w) + ", "
                    + Durations.format(c) + ", " + Durations.format(e) + ")");
        }
        return new Thresholds(w, c, e);
    }

    private static RenewConfig readRenew(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.entries(Set.of("renewBefore", "staleAfter", "discover"));
        Optional<java.time.Duration> before = m.containsKey("renewBefore")
                ? Optional.of(duration(m, "renewBefore", null)) : Optional.empty();
        Optional<RenewConfig.Discover> discover = m.containsKey("discover") ? Optional.of(readDiscover(m.get("discover"))) : Optional.empty();
        return new RenewConfig(before, duration(m, "staleAfter", RenewConfig.DEFAULT.staleAfter()), discover);
    }

    /** {@code discover: { targets: [10.0.0.0/24, www.example.com], ports: [443, 8443], sni: [...] }} — checked again when a run expands it. */
    private static RenewConfig.Discover readDiscover(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.entries(Set.of("targets", "ports", "sni"));
        List<String> targets = new ArrayList<>();
        for (YamlNode t : YamlNode.req(node, m, "targets", "addresses, CIDR ranges or host names to discover on each run, e.g. [10.0.0.0/24]").items()) {
            String v = t.text();
            if (!v.matches("[0-9A-Za-z.:/-]+")) throw t.error("'" + SafeNames.printable(v) + "' is not a target — allowed: an address, a CIDR range (10.0.0.0/24) or a host name");
            targets.add(v);
        }
        if (targets.isEmpty()) throw node.error("targets: is empty: give at least one address, range or host name");
        List<Integer> ports = new ArrayList<>();
        if (m.containsKey("ports")) for (YamlNode p : m.get("ports").items()) ports.add(p.integer(1, 65535));
        if (ports.isEmpty()) ports.add(443);
        List<String> sni = new ArrayList<>();
        if (m.containsKey("sni")) {
            for (YamlNode s : m.get("sni").items()) {
                var problem = SafeNames.dnsNameProblem(s.text(), false);
                if (problem.isPresent()) throw s.error(problem.get());
                sni.add(s.text());
            }
        }
        return new RenewConfig.Discover(List.copyOf(targets), List.copyOf(ports), List.copyOf(sni));
    }

    static java.time.Duration duration(Map<String, YamlNode> m, String key, java.time.Duration dflt) throws ConfigException {
        YamlNode n = m.get(key);
        if (n == null) return dflt;
        String t = n.text();
        return Durations.parse(t).filter(d -> !d.isZero()).orElseThrow(() -> n.error("'" + t + "' is not a duration — allowed: " + Durations.ALLOWED));
    }

}

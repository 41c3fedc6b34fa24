package dev.certops.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code hosts:} section. */
final class HostSection {
    private static final Set<String> KEYS = Set.of("id", "drill", "address", "port", "user", "identity", "knownHosts",
            "jump", "service", "test", "reload", "certDir", "baseDir", "webroot", "keepReleases", "sudo", "become", "sshConfig");

    private HostSection() { }

    static List<HostConfig> read(YamlNode list) throws ConfigException {
        List<HostConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode item : list.items()) {
            Map<String, YamlNode> m = item.entries(KEYS);
            String id = Ids.unique(item, m, ids, "host");
            boolean drill = m.containsKey("drill") && m.get("drill").bool();
            YamlNode addrNode = YamlNode.req(item, m, "address", "the host name or IP address to connect to, or 'local' for this machine");
            String address = addrNode.text();
            var addressProblem = SafeNames.addressProblem(address);
            if (addressProblem.isPresent()) throw addrNode.error(addressProblem.get());
            boolean local = HostConfig.LOCAL.equals(address);
            int port = m.containsKey("port") ? m.get("port").integer(1, 65535) : 22;
            String user = m.containsKey("user") ? m.get("user").text() : System.getProperty("user.name");
            if (!user.matches("[a-z_][a-z0-9_.-]{0,31}")) throw m.get("user").error("'" + SafeNames.printable(user) + "' is not a user name — allowed: lower-case letters, digits, _ . -");
            Optional<String> identity = opt(m, "identity");
            Optional<String> knownHosts = opt(m, "knownHosts");
            if (!local && knownHosts.isEmpty()) {
                knownHosts = Optional.of("ssh/known_hosts");
            }
            Optional<String> jump = opt(m, "jump");
            String service = m.containsKey("service") ? m.get("service").text() : "nginx";
            if (!ServicePreset.known(service)) throw m.get("service").error("'" + service + "' is not a service preset — allowed: " + String.join(", ", ServicePreset.NAMES) + " (custom needs test: and reload:)");
            if (service.equals("custom") && (!m.containsKey("test") || !m.containsKey("reload"))) throw m.get("service").error("service: custom needs test: and reload: (the commands that check and reload your server)");
            Optional<String> baseDir = m.containsKey("baseDir") ? Optional.of(path(m.get("baseDir"))) : Optional.empty();
            if (baseDir.isPresent() && m.containsKey("certDir")) {
                throw m.get("certDir").error("give baseDir: (each certificate gets its own folder BASE/CERT_ID) or certDir: (one folder), not both");
            }
            String certDir = baseDir.isPresent() ? baseDir.get() : m.containsKey("certDir") ? path(m.get("certDir")) : path(YamlNode.req(item, m, "baseDir",
                    "the folder on the host under which each certificate gets BASE/CERT_ID/releases and BASE/CERT_ID/live, e.g. /etc/ssl/certops (or certDir: for one certificate's folder)"));
            if (m.containsKey("sudo") && m.containsKey("become")) throw m.get("become").error("give sudo: or become:, not both");
            boolean sudo = m.containsKey("sudo") ? m.get("sudo").bool() : m.containsKey("become") && m.get("become").bool();
            if (sudo && local) throw (m.containsKey("sudo") ? m.get("sudo") : m.get("become")).error("sudo is for SSH hosts; run certops itself as the user that may write there");
            Optional<String> webroot = m.containsKey("webroot") ? Optional.of(path(m.get("webroot"))) : Optional.empty();
            int keep = m.containsKey("keepReleases") ? m.get("keepReleases").integer(2, 100) : 5;
            out.add(new HostConfig(id, drill, address, port, user, identity, knownHosts, jump, service,
                    opt(m, "test"), opt(m, "reload"), certDir, webroot, keep, baseDir, sudo, opt(m, "sshConfig"),
                    Set.copyOf(m.keySet().stream().filter(HostConfig.ALL_GIVEN::contains).toList())));
        }
        return List.copyOf(out);
    }

    static void checkJumps(List<HostConfig> hosts, YamlNode section) throws ConfigException {
        for (HostConfig h : hosts) {
            if (h.jump().isPresent()) {
                String j = h.jump().get();
                if (j.equals(h.id()) || hosts.stream().noneMatch(o -> o.id().equals(j))) {
                    throw section.error("host '" + h.id() + "': jump '" + j + "' is not another host's id");
                }
            }
        }
    }

    private static Optional<String> opt(Map<String, YamlNode> m, String key) throws ConfigException {
        return m.containsKey(key) ? Optional.of(m.get(key).text()) : Optional.empty();
    }

    private static String path(YamlNode n) throws ConfigException {
        String p = n.text();
        var problem = SafeNames.absolutePathProblem(p);
        if (problem.isPresent()) throw n.error(problem.get());
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}

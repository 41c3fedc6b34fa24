package dev.certops.config;

import dev.certops.crypto.KeyType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code certificates:} section, with its references to CAs, DNS providers and hosts checked. */
final class CertificateSection {
    private static final Set<String> KEYS = Set.of("id", "names", "key", "challenge", "cas", "deploy", "endpoints",
            "profile", "reuseKey", "preferredChain", "renewBefore");

    private CertificateSection() { }

    static List<CertificateConfig> read(YamlNode list, List<CaConfig> cas, List<DnsConfig> dns, List<HostConfig> hosts)
            throws ConfigException {
        List<CertificateConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode item : list.items()) {
            Map<String, YamlNode> m = item.entries(KEYS);
            String id = Ids.unique(item, m, ids, "certificate");
            List<List<String>> waves = m.containsKey("deploy") ? waves(m.get("deploy"), hosts) : List.of();
            Optional<ChallengeConfig> challenge = m.containsKey("challenge")
                    ? Optional.of(challenge(m.get("challenge"), dns, hosts, waves)) : Optional.empty();
            boolean dns01 = challenge.map(c -> c.type() == ChallengeConfig.Type.DNS_01).orElse(false);
            YamlNode namesNode = YamlNode.req(item, m, "names", "the DNS names the certificate covers, e.g. [api.example.com]");
            List<String> names = new ArrayList<>();
            for (YamlNode n : namesNode.items()) {
                String name = n.text().toLowerCase(java.util.Locale.ROOT);
                var p = SafeNames.dnsNameProblem(name, dns01);
                if (p.isPresent()) throw n.error(p.get());
                if (names.contains(name)) throw n.error("'" + name + "' is listed twice");
                names.add(name);
            }
            if (names.isEmpty()) throw namesNode.error("is empty: give at least one name");
            KeyType key = KeyType.EC_P256;
            if (m.containsKey("key")) {
                String k = m.get("key").text();
                key = KeyType.fromConfigName(k).orElseThrow(() -> m.get("key").error("'" + k + "' is not a key type — allowed: " + KeyType.allowed()));
            }
            List<String> certCas = new ArrayList<>();
            if (m.containsKey("cas")) {
                for (YamlNode c : m.get("cas").items()) {
                    String ca = c.text();
                    if (cas.stream().noneMatch(x -> x.id().equals(ca))) throw c.error("'" + ca + "' is not a CA id in cas: — known: " + ids(cas.stream().map(CaConfig::id).toList()));
                    certCas.add(ca);
                }
            }
            String firstName = names.get(0).startsWith("*.") ? null : names.get(0);
            List<Endpoint> endpoints = new ArrayList<>();
            if (m.containsKey("endpoints")) {
                for (YamlNode e : m.get("endpoints").items()) endpoints.add(EndpointParser.parse(e, Optional.ofNullable(firstName)));
            }
            Optional<String> profile = text(m, "profile");
            boolean reuseKey = m.containsKey("reuseKey") && m.get("reuseKey").bool();
            Optional<Duration> renewBefore = m.containsKey("renewBefore")
                    ? Optional.of(ConfigLoader.duration(m, "renewBefore", null)) : Optional.empty();
            out.add(new CertificateConfig(id, List.copyOf(names), key, challenge, List.copyOf(certCas), waves,
                    List.copyOf(endpoints), profile, reuseKey, text(m, "preferredChain"), renewBefore));
        }
        return List.copyOf(out);
    }

    private static ChallengeConfig challenge(YamlNode n, List<DnsConfig> dns, List<HostConfig> hosts, List<List<String>> waves) throws ConfigException {
        Map<String, YamlNode> m = n.entries(Set.of("type", "host", "hosts", "dns"));
        YamlNode t = YamlNode.req(n, m, "type", "http-01 or dns-01");
        String type = t.text();
        if (type.equals("http-01") && m.containsKey("hosts")) {
            if (m.containsKey("host")) throw m.get("host").error("give host: (one webroot) or hosts: (several behind a load balancer), not both");
            if (m.containsKey("dns")) throw m.get("dns").error("dns: goes with type: dns-01, not http-01");
            YamlNode hs = m.get("hosts");
            List<String> ids = new ArrayList<>();
            if (hs.isScalar()) {
                if (!hs.text().equals("waves")) throw hs.error("'" + hs.text() + "' — write a list of host ids, e.g. [web1, web2], or waves (every host in deploy: waves)");
                waves.forEach(ids::addAll);
                if (ids.isEmpty()) throw hs.error("hosts: waves needs deploy: { waves: [...] } on this certificate");
            } else {
                for (YamlNode h : hs.items()) ids.add(h.text());
            }
            for (String id : ids) {
                HostConfig hc = hosts.stream().filter(x -> x.id().equals(id)).findFirst()
                        .orElseThrow(() -> hs.error("'" + id + "' is not a host id — known: " + ids(hosts.stream().map(HostConfig::id).toList())));
                if (hc.webroot().isEmpty()) throw hs.error("host '" + id + "' has no webroot: add webroot: /var/www/acme to it, or leave it out of hosts:");
            }
            if (ids.isEmpty()) throw hs.error("is empty: list the hosts behind the load balancer, or write hosts: waves");
            return new ChallengeConfig(ChallengeConfig.Type.HTTP_01, Optional.empty(), Optional.empty(), List.copyOf(new java.util.LinkedHashSet<>(ids)));
        }
        if (type.equals("http-01")) {
            YamlNode h = YamlNode.req(n, m, "host", "the host whose webroot serves /.well-known/acme-challenge/");
            String host = h.text();
            HostConfig hc = hosts.stream().filter(x -> x.id().equals(host)).findFirst()
                    .orElseThrow(() -> h.error("'" + host + "' is not a host id — known: " + ids(hosts.stream().map(HostConfig::id).toList())));
            if (hc.webroot().isEmpty()) throw h.error("host '" + host + "' has no webroot: add webroot: /var/www/acme (or the folder your server serves /.well-known/acme-challenge/ from)");
            if (m.containsKey("dns")) throw m.get("dns").error("dns: goes with type: dns-01, not http-01");
            return new ChallengeConfig(ChallengeConfig.Type.HTTP_01, Optional.of(host), Optional.empty());
        }
        if (type.equals("dns-01")) {
            YamlNode d = YamlNode.req(n, m, "dns", "the DNS provider id from the dns: section");
            String id = d.text();
            if (dns.stream().noneMatch(x -> x.id().equals(id))) throw d.error("'" + id + "' is not a DNS provider id — known: " + ids(dns.stream().map(DnsConfig::id).toList()));
            if (m.containsKey("host")) throw m.get("host").error("host: goes with type: http-01, not dns-01");
            if (m.containsKey("hosts")) throw m.get("hosts").error("hosts: goes with type: http-01, not dns-01");
            return new ChallengeConfig(ChallengeConfig.Type.DNS_01, Optional.empty(), Optional.of(id));
        }
        throw t.error("'" + type + "' is not a challenge type — allowed: http-01, dns-01");
    }

    private static List<List<String>> waves(YamlNode n, List<HostConfig> hosts) throws ConfigException {
        Map<String, YamlNode> m = n.entries(Set.of("waves"));
        List<List<String>> waves = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (YamlNode wave : YamlNode.req(n, m, "waves", "e.g. [[web1], [web2, web3]]: the first wave is the canary").items()) {
            List<String> w = new ArrayList<>();
            for (YamlNode h : wave.items()) {
                String host = h.text();
                if (hosts.stream().noneMatch(x -> x.id().equals(host))) throw h.error("'" + host + "' is not a host id — known: " + ids(hosts.stream().map(HostConfig::id).toList()));
                if (!seen.add(host)) throw h.error("'" + host + "' is in more than one wave");
                w.add(host);
            }
            if (w.isEmpty()) throw wave.error("a wave needs at least one host");
            waves.add(List.copyOf(w));
        }
        return List.copyOf(waves);
    }

    private static Optional<String> text(Map<String, YamlNode> m, String key) throws ConfigException {
        return m.containsKey(key) ? Optional.of(m.get(key).text()) : Optional.empty();
    }

    private static String ids(List<String> ids) { return ids.isEmpty() ? "(none defined)" : String.join(", ", ids); }
}

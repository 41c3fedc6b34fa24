package dev.certops.config;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import dev.certops.crypto.KeyType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
                String name = n.text().toLowerCase(Locale.ROOT);
                if (name.endsWith(".") && !name.endsWith("..")) name = name.substring(0, name.length() - 1); // "a.example." is "a.example"
                if (InetAddresses.isInetAddress(name)) {
                    throw n.error("'" + name + "' is an IP address: certops orders DNS names only (the CAs it talks to do not issue "
                            + "for IP identifiers); give a DNS name that resolves to it");
                }
                var p = SafeNames.dnsNameProblem(name, dns01);
                if (p.isPresent()) throw n.error(p.get());
                if (name.startsWith("*.") && publicSuffix(name.substring(2))) {
                    throw n.error("'" + name + "' is a wildcard on a public suffix (" + name.substring(2) + " is on the Public Suffix List): "
                            + "no CA issues it; name a domain registered under it, e.g. *.example." + name.substring(2));
                }
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
            DeploymentConfig deployment = m.containsKey("deploy") ? deployment(m.get("deploy")) : DeploymentConfig.DEFAULT;
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
                    List.copyOf(endpoints), profile, reuseKey, text(m, "preferredChain"), renewBefore, deployment));
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
            return new ChallengeConfig(ChallengeConfig.Type.HTTP_01, Optional.empty(), Optional.empty(), List.copyOf(new LinkedHashSet<>(ids)));
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
        Map<String, YamlNode> m = n.entries(DEPLOY_KEYS);
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

    /**
     * Refuses two certificates that would share one folder on a host: the second deploy would
     * replace the first one's live link, and the server would serve the wrong certificate.
     */
    static void checkSharedFolders(List<CertificateConfig> certs, List<HostConfig> hosts, YamlNode section) throws ConfigException {
        for (HostConfig h : hosts) {
            Map<String, String> byDir = new LinkedHashMap<>();
            for (CertificateConfig c : certs) {
                if (!c.hosts().contains(h.id())) continue;
                String dir = h.certDirFor(c);
                String other = byDir.putIfAbsent(dir, c.id());
                if (other != null) {
                    throw section.error("certificates '" + other + "' and '" + c.id() + "' both deploy to " + dir + " on host '" + h.id()
                            + "': the second deploy would replace the first one's live link and the server would serve the wrong certificate"
                            + " — give host '" + h.id() + "' baseDir: instead of certDir: (each certificate gets BASE/CERT_ID), or give each certificate its own deploy: { certDir: ... }");
                }
            }
        }
    }

    private static final Set<String> DEPLOY_KEYS = Set.of("waves", "certDir", "files", "owner", "group", "mode", "password", "alias");

    /** The deploy: section's layout keys (waves are read by {@link #waves}). */
    private static DeploymentConfig deployment(YamlNode n) throws ConfigException {
        Map<String, YamlNode> m = n.entries(DEPLOY_KEYS);
        Optional<String> certDir = Optional.empty();
        if (m.containsKey("certDir")) {
            String p = m.get("certDir").text();
            var problem = SafeNames.absolutePathProblem(p);
            if (problem.isPresent()) throw m.get("certDir").error(problem.get());
            certDir = Optional.of(p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
        }
        List<String> files = new ArrayList<>();
        if (m.containsKey("files")) {
            for (YamlNode f : m.get("files").items()) {
                String v = f.text();
                if (!DeploymentConfig.FORMATS.contains(v)) throw f.error("'" + v + "' is not a file format — allowed: " + String.join(", ", DeploymentConfig.FORMATS));
                if (files.contains(v)) throw f.error("'" + v + "' is listed twice");
                files.add(v);
            }
            if (files.isEmpty()) throw m.get("files").error("is empty: list the files the server reads, e.g. [fullchain, privkey]");
        }
        Optional<String> owner = account(m, "owner");
        Optional<String> group = account(m, "group");
        Optional<Integer> mode = Optional.empty();
        if (m.containsKey("mode")) {
            String v = m.get("mode").text();
            if (!v.matches("0?[0-7]{3}")) throw m.get("mode").error("'" + v + "' is not a file mode — write it in octal, e.g. \"0640\"");
            int bits = Integer.parseInt(v, 8);
            if ((bits & 0007) != 0) throw m.get("mode").error("'" + v + "' lets every user read the private key — use 0600, or 0640 with group:");
            if ((bits & 0400) == 0) throw m.get("mode").error("'" + v + "' does not let the owner read the key — use 0600 or 0640");
            mode = Optional.of(bits);
        }
        boolean keystore = files.contains("pkcs12") || files.contains("jks");
        Optional<SecretRef> password = Optional.empty();
        if (m.containsKey("password")) {
            String v = m.get("password").text();
            if (!v.startsWith(SecretRef.PREFIX) || v.length() == SecretRef.PREFIX.length()) {
                throw m.get("password").error("must be a secret:NAME reference (store it with ./certops secret set NAME), never the password itself");
            }
            if (!keystore) throw m.get("password").error("password: is for keystores — add pkcs12 or jks to files:");
            password = Optional.of(new SecretRef(v));
        } else if (keystore) {
            throw n.error("files: lists a keystore (pkcs12 or jks): add password: secret:NAME (store it with ./certops secret set NAME)");
        }
        Optional<String> alias = text(m, "alias");
        if (alias.isPresent() && !alias.get().matches("[A-Za-z0-9_.-]{1,64}")) throw m.get("alias").error("'" + SafeNames.printable(alias.get()) + "' is not an alias — letters, digits, _ . -");
        return new DeploymentConfig(certDir, files, owner, group, mode, password, alias);
    }

    private static Optional<String> account(Map<String, YamlNode> m, String key) throws ConfigException {
        if (!m.containsKey(key)) return Optional.empty();
        String v = m.get(key).text();
        if (!v.matches("[a-z_][a-z0-9_.-]{0,31}|\\d{1,9}")) throw m.get(key).error("'" + SafeNames.printable(v) + "' is not a user or group name — lower-case letters, digits, _ . -, or a number");
        return Optional.of(v);
    }

    private static Optional<String> text(Map<String, YamlNode> m, String key) throws ConfigException {
        return m.containsKey(key) ? Optional.of(m.get(key).text()) : Optional.empty();
    }

    private static String ids(List<String> ids) { return ids.isEmpty() ? "(none defined)" : String.join(", ", ids); }

    private static boolean publicSuffix(String name) {
        try {
            return InternetDomainName.from(name).isPublicSuffix();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

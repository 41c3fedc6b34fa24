package dev.certops.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The {@code cas:} section. */
final class CaSection {
    private static final Set<String> KEYS = Set.of("id", "directory", "staging", "trust", "contact", "agreeToTerms",
            "eab", "limits", "caaIdentity");
    /** Rate-limit presets shipped with certops (see dev.certops.ratelimit). */
    static final Set<String> PRESETS = Set.of("letsencrypt", "letsencrypt-staging", "none");
    static final Set<String> LIMIT_NAMES = Set.of("newOrdersPerAccount", "newCertificatesPerRegisteredDomain",
            "newCertificatesPerExactSet", "authorizationFailuresPerIdentifier",
            "consecutiveAuthorizationFailuresPerIdentifier", "newAccountsPerIp");

    private CaSection() { }

    static List<CaConfig> read(YamlNode list) throws ConfigException {
        List<CaConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode item : list.items()) {
            Map<String, YamlNode> m = item.entries(KEYS);
            String id = Ids.unique(item, m, ids, "CA");
            URI directory = url(YamlNode.req(item, m, "directory", "the URL of the CA's ACME directory"));
            Optional<URI> staging = m.containsKey("staging") ? Optional.of(url(m.get("staging"))) : Optional.empty();
            Optional<String> trust = YamlNode.opt(m, "trust").isPresent() ? Optional.of(m.get("trust").text()) : Optional.empty();
            Optional<String> contact = Optional.empty();
            if (m.containsKey("contact")) {
                String c = m.get("contact").text();
                if (!c.startsWith("mailto:") || !c.contains("@")) throw m.get("contact").error("'" + c + "' is not a contact — allowed: mailto:someone@example.com");
                contact = Optional.of(c);
            }
            boolean terms = m.containsKey("agreeToTerms") && m.get("agreeToTerms").bool();
            Optional<CaConfig.Eab> eab = m.containsKey("eab") ? Optional.of(eab(m.get("eab"))) : Optional.empty();
            String preset = "none";
            Map<String, CaConfig.LimitOverride> overrides = new LinkedHashMap<>();
            if (m.containsKey("limits")) {
                YamlNode l = m.get("limits");
                if (l.isScalar()) {
                    preset = preset(l);
                } else {
                    for (Map.Entry<String, YamlNode> e : l.entries().entrySet()) {
                        if (e.getKey().equals("preset")) { preset = preset(e.getValue()); continue; }
                        if (!LIMIT_NAMES.contains(e.getKey())) {
                            throw e.getValue().error("unknown limit — allowed: preset, " + String.join(", ", new TreeSet<>(LIMIT_NAMES)));
                        }
                        overrides.put(e.getKey(), limit(e.getValue()));
                    }
                }
            }
            Optional<String> caa = m.containsKey("caaIdentity") ? Optional.of(m.get("caaIdentity").text()) : Optional.empty();
            out.add(new CaConfig(id, directory, staging, trust, contact, terms, eab, preset, Map.copyOf(overrides), caa));
        }
        return List.copyOf(out);
    }

    private static String preset(YamlNode n) throws ConfigException {
        String p = n.text();
        if (!PRESETS.contains(p)) throw n.error("'" + p + "' is not a rate-limit preset — allowed: " + String.join(", ", new TreeSet<>(PRESETS)));
        return p;
    }

    private static CaConfig.LimitOverride limit(YamlNode n) throws ConfigException {
        Map<String, YamlNode> m = n.entries(Set.of("capacity", "refill"));
        int capacity = YamlNode.req(n, m, "capacity", "the bucket size, a whole number").integer(0, Integer.MAX_VALUE);
        YamlNode r = YamlNode.req(n, m, "refill", "one token per period, e.g. \"1/36s\"");
        String refill = r.text();
        if (!refill.matches("\\d+/\\s*\\d+(ms|s|m|h|d|w)")) throw r.error("'" + refill + "' is not a refill rate — allowed: TOKENS/PERIOD, e.g. \"1/36s\", \"1/202m\"");
        return new CaConfig.LimitOverride(capacity, refill);
    }

    private static CaConfig.Eab eab(YamlNode n) throws ConfigException {
        Map<String, YamlNode> m = n.entries(Set.of("kid", "hmac"));
        String kid = YamlNode.req(n, m, "kid", "the key id the CA gave you").text();
        YamlNode h = YamlNode.req(n, m, "hmac", "a secret: reference to the HMAC key, e.g. \"secret:zerossl-eab\"");
        String hmac = h.text();
        if (!hmac.startsWith(SecretRef.PREFIX)) {
            throw h.error("must be a secret: reference (e.g. \"secret:zerossl-eab\", a file in secrets/) — keep the key itself out of certops.yaml");
        }
        return new CaConfig.Eab(kid, new SecretRef(hmac));
    }

    static URI url(YamlNode n) throws ConfigException {
        String t = n.text();
        try {
            URI u = new URI(t);
            if (!"https".equals(u.getScheme()) || u.getHost() == null) {
                throw n.error("'" + t + "' is not an https URL — allowed: the https:// URL of the CA's ACME directory");
            }
            return u;
        } catch (URISyntaxException e) {
            throw n.error("'" + SafeNames.printable(t) + "' is not a URL — allowed: the https:// URL of the CA's ACME directory");
        }
    }
}

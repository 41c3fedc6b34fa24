package dev.certops.acme.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.config.DnsConfig;
import dev.certops.config.SecretRef;
import dev.certops.crypto.Redactor;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * An acme-dns account as acme-dns's {@code POST /register} returns it (https://github.com/joohoi/acme-dns#register-endpoint):
 * {@code username} and {@code password} (the credentials of {@code /update}), {@code subdomain}, {@code fulldomain}
 * (which {@code _acme-challenge.NAME} must be a CNAME to) and {@code allowfrom}. certops keeps it as one
 * secret (JSON, mode 0600, encrypted with the workspace passphrase when there is one), named by the provider's
 * {@code account} key, by default {@code secret:acme-dns-ID}; {@code certops dns register ID} creates it.
 */
public record AcmeDnsAccount(String username, String password, String subdomain, String fulldomain, List<String> allowfrom) {

    /** The name of the secret that holds the account of acme-dns provider {@code cfg}. */
    public static String secretName(DnsConfig cfg) throws DnsProviderException {
        String raw = cfg.settings() == null ? null : cfg.settings().get("account");
        if (raw == null || raw.isBlank()) return "acme-dns-" + cfg.id();
        SecretRef ref = new SecretRef(raw.trim());
        if (ref.name().isEmpty() || ref.name().get().isBlank()) {
            throw new DnsProviderException("acme-dns: key 'account' has a literal value; write account: \"secret:acme-dns-" + cfg.id()
                    + "\" (the secret `certops dns register " + cfg.id() + "` stores) (dns provider '" + cfg.id() + "')");
        }
        return ref.name().get();
    }

    /** True when the provider's account is written into certops.yaml (username, password, subdomain, fulldomain) rather than registered. */
    public static boolean inConfig(DnsConfig cfg) {
        return cfg.settings() != null && cfg.settings().get("username") != null;
    }

    /**
     * Registers a new account at the acme-dns server of {@code cfg} ({@code url}), limited to {@code allowFrom}
     * networks (CIDR) when given. The password is known to the redactor before this returns.
     */
    public static AcmeDnsAccount register(DnsConfig cfg, List<String> allowFrom) throws DnsProviderException {
        ProviderSettings s = ProviderSettings.of(cfg, AcmeDnsProvider.KEYS);
        URI base = s.baseUrl("url", null, "https://auth.acme-dns.io");
        ProviderHttp http = new ProviderHttp("acme-dns", cfg.id(), s.duration("timeout", ProviderSettings.DEFAULT_HTTP_TIMEOUT));
        URI uri = URI.create(base + "/register");
        ProviderHttp.Answer a = http.send("POST", uri, Map.of(), allowFrom.isEmpty() ? null : Map.of("allowfrom", allowFrom));
        if (!a.ok()) {
            String error = a.body().path("error").asText(ProviderHttp.excerpt(a.raw()));
            throw http.refused("POST", uri, a, error, a.status() == 400 ? "check each --allow-from network (CIDR such as 192.0.2.0/24)"
                    : "check 'url' and that this acme-dns server allows registration");
        }
        AcmeDnsAccount account = fromJson(a.body(), "the answer of POST /register from " + base.getAuthority(), cfg.id());
        Redactor.global().register(account.password());
        return account;
    }

    /** Reads an account stored by {@link #toSecret()}; {@code where} names it in errors. */
    static AcmeDnsAccount parse(byte[] raw, String where, String id) throws DnsProviderException {
        JsonNode n;
        try {
            n = ProviderHttp.JSON.readTree(new String(raw, StandardCharsets.UTF_8));
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !n.isObject()) {
            throw new DnsProviderException("acme-dns: " + where + " is not an acme-dns account (JSON); store it again with `certops dns register "
                    + id + " --replace` (dns provider '" + id + "')");
        }
        AcmeDnsAccount account = fromJson(n, where, id);
        Redactor.global().register(account.password());
        return account;
    }

    private static AcmeDnsAccount fromJson(JsonNode n, String where, String id) throws DnsProviderException {
        for (String field : Set.of("username", "password", "subdomain", "fulldomain")) {
            if (n.path(field).asText("").isBlank()) {
                throw new DnsProviderException("acme-dns: " + where + " has no '" + field + "'; register again with `certops dns register " + id
                        + " --replace` (dns provider '" + id + "')");
            }
        }
        List<String> allow = n.path("allowfrom").isArray()
                ? StreamSupport.stream(n.path("allowfrom").spliterator(), false).map(JsonNode::asText).toList() : List.of();
        return new AcmeDnsAccount(n.path("username").asText(), n.path("password").asText(), n.path("subdomain").asText(),
                n.path("fulldomain").asText().toLowerCase(Locale.ROOT), allow);
    }

    /** The account as stored in the secret store (JSON with the same fields as acme-dns's answer). */
    public byte[] toSecret() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", username);
        m.put("password", password);
        m.put("subdomain", subdomain);
        m.put("fulldomain", fulldomain);
        m.put("allowfrom", allowfrom);
        try {
            return ProviderHttp.JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an acme-dns account", e);
        }
    }

    /** The record the operator creates in the name's zone: {@code _acme-challenge.NAME. CNAME FULLDOMAIN.}. */
    public String cname(String name) {
        String n = name.startsWith("*.") ? name.substring(2) : name;
        n = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
        return "_acme-challenge." + n.toLowerCase(Locale.ROOT) + ". CNAME " + fulldomain + ".";
    }

    @Override public String toString() { return "acme-dns account " + fulldomain + " (credentials hidden)"; }
}

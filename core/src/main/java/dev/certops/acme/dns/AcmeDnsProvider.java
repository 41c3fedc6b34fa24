package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An acme-dns server (joohoi/acme-dns) as the target of CNAME delegation: {@code POST /update} with
 * headers {@code X-Api-User} / {@code X-Api-Key} and {@code {"subdomain", "txt"}}. acme-dns keeps the two
 * most recent values of a subdomain (a name and its wildcard) and has no delete, so clean-up leaves the
 * value to be rotated out. The account ({@code username}, {@code password}, {@code subdomain},
 * {@code fulldomain}) comes from acme-dns's {@code POST /register}. The provider owns its
 * {@code fulldomain}, which {@code _acme-challenge.NAME} must be a CNAME to.
 */
final class AcmeDnsProvider implements DnsProvider, PropagationSettings {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeDnsProvider.class);

    private final String id;
    private final URI base;
    private final String username;
    private final String password;
    private final String subdomain;
    private final String fulldomain;
    private final ProviderHttp http;
    private final PropagationSettings timing;

    private AcmeDnsProvider(String id, URI base, String username, String password, String subdomain, String fulldomain,
                            ProviderHttp http, PropagationSettings timing) {
        this.id = id;
        this.base = base;
        this.username = username;
        this.password = password;
        this.subdomain = subdomain;
        this.fulldomain = fulldomain;
        this.http = http;
        this.timing = timing;
    }

    /** The keys of an acme-dns provider. */
    static final Set<String> KEYS = Set.of("url", "account", "username", "password", "subdomain", "fulldomain", "timeout");

    /**
     * Builds the provider from the registered account (the secret named by {@code account}, by default
     * {@code acme-dns-ID}, stored by {@code certops dns register ID}), or from {@code username},
     * {@code password}, {@code subdomain} and {@code fulldomain} written into certops.yaml.
     */
    static AcmeDnsProvider create(DnsConfig cfg, Function<String, byte[]> secretReader) throws DnsProviderException {
        ProviderSettings s = ProviderSettings.of(cfg, KEYS);
        URI base = s.baseUrl("url", null, "https://auth.acme-dns.io");
        String username;
        String password;
        String subdomain;
        String fulldomain;
        if (AcmeDnsAccount.inConfig(cfg)) {
            if (s.optional("account").isPresent()) {
                throw s.error("keys 'account' and 'username' both given; keep 'account' (the secret `certops dns register "
                        + cfg.id() + "` stores) and remove username, password, subdomain and fulldomain");
            }
            username = s.required("username", "c36f50e8-4632-44f0-83fe-e070fef28a10");
            password = s.secret("password", "acme-dns-" + s.id(), secretReader);
            subdomain = s.required("subdomain", "8e5700ea-a4bf-41c7-8a77-e990661dcc6a");
            fulldomain = s.required("fulldomain", "8e5700ea-a4bf-41c7-8a77-e990661dcc6a.auth.acme-dns.io");
        } else {
            for (String key : List.of("password", "subdomain", "fulldomain")) {
                if (s.optional(key).isPresent()) throw s.error("key '" + key + "' without 'username'; write all four or none (then `certops dns register "
                        + cfg.id() + "` stores the account)");
            }
            AcmeDnsAccount account = storedAccount(cfg, secretReader);
            username = account.username();
            password = account.password();
            subdomain = account.subdomain();
            fulldomain = account.fulldomain();
        }
        if (!fulldomain.toLowerCase(Locale.ROOT).startsWith(subdomain.toLowerCase(Locale.ROOT) + ".")) {
            throw s.error("key 'fulldomain' has '" + fulldomain + "', which does not start with subdomain '" + subdomain
                    + "'; copy both from the answer of acme-dns's /register");
        }
        return new AcmeDnsProvider(cfg.id(), base, username, password, subdomain, fulldomain,
                new ProviderHttp("acme-dns", cfg.id(), s.duration("timeout", ProviderSettings.DEFAULT_HTTP_TIMEOUT)), s.propagation());
    }

    /** The account {@code certops dns register} stored for {@code cfg}. */
    static AcmeDnsAccount storedAccount(DnsConfig cfg, Function<String, byte[]> secretReader) throws DnsProviderException {
        String name = AcmeDnsAccount.secretName(cfg);
        byte[] raw;
        try {
            raw = secretReader.apply(name);
        } catch (RuntimeException e) {
            throw new DnsProviderException("acme-dns: cannot read secret '" + name + "' (the account of dns provider '" + cfg.id() + "'): " + e.getMessage());
        }
        if (raw == null) {
            throw new DnsProviderException("acme-dns: dns provider '" + cfg.id() + "' has no account yet (no secret '" + name
                    + "'); register one with `./certops dns register " + cfg.id() + " --name NAME`");
        }
        return AcmeDnsAccount.parse(raw, "secret '" + name + "'", cfg.id());
    }

    @Override public String id() { return id; }

    @Override
    public void present(String fqdn, String value) throws DnsProviderException {
        String name = fqdn.endsWith(".") ? fqdn.substring(0, fqdn.length() - 1) : fqdn;
        if (!name.equalsIgnoreCase(fulldomain)) {
            throw new DnsProviderException("acme-dns: " + fqdn + " is not this account's fulldomain " + fulldomain + " (dns provider '" + id
                    + "'); make _acme-challenge.NAME a CNAME to " + fulldomain + ".");
        }
        URI uri = URI.create(base + "/update");
        ProviderHttp.Answer a = http.send("POST", uri, Map.of("X-Api-User", username, "X-Api-Key", password),
                Map.of("subdomain", subdomain, "txt", value));
        if (!a.ok()) {
            String error = a.body().path("error").asText(ProviderHttp.excerpt(a.raw()));
            String next = a.status() == 401 ? "check 'username' and the secret named by 'password' (and acme-dns's allowfrom list for this machine)"
                    : "acme-dns says '" + error + "': check 'subdomain' and that the value is an ACME digest";
            throw http.refused("POST", uri, a, error, next);
        }
        LOG.info("acme-dns {}: updated TXT at {}", id, fulldomain);
    }

    /** acme-dns has no delete: the value is rotated out by the next two updates. */
    @Override
    public void cleanUp(String fqdn, String value) {
        LOG.debug("acme-dns {}: nothing to remove at {} (acme-dns keeps the two latest values)", id, fqdn);
    }

    @Override public Duration propagationTimeout() { return timing.propagationTimeout(); }

    @Override public Duration pollInterval() { return timing.pollInterval(); }

    @Override public int nameserverPort() { return timing.nameserverPort(); }

    @Override public String toString() { return "acme-dns[id=" + id + ", url=" + base + ", fulldomain=" + fulldomain + "]"; }
}

package dev.certops.acme.dns;

import dev.certops.config.CertopsConfig;
import dev.certops.config.DnsConfig;
import dev.certops.crypto.SecretStore;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which provider publishes a DNS-01 record: {@code _acme-challenge.NAME} is followed through its
 * CNAMEs ({@link CnameChain}), and the TXT goes to the end of the chain through the provider that
 * owns that name — the provider whose {@code zones:} list holds the name's zone or a parent of it
 * (the most specific wins; an {@code acme-dns} provider owns its {@code fulldomain}) — else the
 * certificate's own provider. Providers are built when first needed, so one with a missing secret
 * fails only the certificates that use it.
 */
public final class DnsRouting {
    private final List<DnsConfig> providers;
    private final String defaultId;
    private final Function<String, byte[]> secrets;
    private final Resolvers lookups;
    private final Clock clock;
    private final Map<String, DnsProvider> built = new HashMap<>();

    /** Where one record goes: the chain, the provider that writes the TXT and how to wait for it. */
    public record Route(CnameChain chain, DnsProvider provider, PropagationChecker propagation, PropagationSettings timing) {
        /** The absolute name the TXT is written at. */
        public String target() { return chain.target().toString(); }

        /** "_acme-challenge.www.example.com. → x.acme.example.net. (written by dns provider 'acme')". */
        public String describe() { return chain.describe() + " (written by dns provider '" + provider.id() + "')"; }
    }

    /**
     * @param providers the workspace's {@code dns:} entries
     * @param defaultId the certificate's provider, used when no provider claims the chain's end
     */
    public DnsRouting(List<DnsConfig> providers, String defaultId, Function<String, byte[]> secrets, Resolvers lookups, Clock clock) {
        this.providers = List.copyOf(providers);
        this.defaultId = defaultId;
        this.secrets = secrets;
        this.lookups = lookups;
        this.clock = clock;
    }

    /** The routing of a workspace: its {@code dns:} providers, secrets from its store, lookups through its {@code resolvers:}. */
    public static DnsRouting of(CertopsConfig cfg, String providerId, SecretStore secrets, Clock clock) {
        return new DnsRouting(cfg.dns(), providerId, name -> {
            try {
                return secrets.exists(name) ? secrets.read(name) : null;
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, Resolvers.of(cfg.resolvers()), clock);
    }

    /**
     * What issuing for {@code name} will do, for {@code config check} and previews, without building a
     * provider: "_acme-challenge.NAME. → TARGET. (written by dns provider 'ID')".
     *
     * @param broken true when the chain can never validate (a loop, too many CNAMEs)
     */
    public record Plan(String line, boolean broken) { }

    /** The plan for one certificate name ({@code *.} is dropped, as the CA does). */
    public Plan plan(String name) {
        String fqdn = "_acme-challenge." + (name.startsWith("*.") ? name.substring(2) : name);
        try {
            CnameChain chain = CnameChain.follow(lookups, fqdn);
            return new Plan(chain.describe() + " (written by dns provider '" + ownerId(chain) + "')", false);
        } catch (CnameChain.Broken e) {
            return new Plan(e.getMessage(), true);
        } catch (DnsProviderException e) {
            return new Plan(fqdn + ": CNAMEs not checked (" + e.getMessage() + ")", false);
        }
    }

    /** Builds the certificate's own provider now, so a wrong setting or missing secret is reported before any order. */
    public DnsProvider checkDefault() throws DnsProviderException { return provider(config(defaultId)); }

    /** Follows the record's CNAMEs and picks the provider for the end of the chain. */
    public Route route(String fqdn) throws DnsProviderException {
        CnameChain chain = CnameChain.follow(lookups, fqdn);
        return route(chain, owner(chain.target()).orElse(config(defaultId)));
    }

    /** Follows the record's CNAMEs and writes at the end through {@code providerId}, whoever claims it ({@code dns test}). */
    public Route routeThrough(String fqdn, String providerId) throws DnsProviderException {
        return route(CnameChain.follow(lookups, fqdn), config(providerId));
    }

    /** The provider issuance would use for the end of {@code chain}. */
    public String ownerId(CnameChain chain) { return owner(chain.target()).map(DnsConfig::id).orElse(defaultId); }

    private Route route(CnameChain chain, DnsConfig cfg) throws DnsProviderException {
        DnsProvider provider = provider(cfg);
        return new Route(chain, provider, DnsProviders.propagation(provider, lookups, clock), DnsProviders.timing(provider));
    }

    /** The provider that claims {@code target}: the longest matching {@code zones:} entry, or acme-dns's fulldomain. */
    Optional<DnsConfig> owner(Name target) {
        String t = target.toString().toLowerCase(Locale.ROOT);
        DnsConfig best = null;
        int bestLength = -1;
        for (DnsConfig p : providers) {
            for (String zone : claims(p)) {
                String z = zone.endsWith(".") ? zone : zone + ".";
                boolean match = t.equals(z) || t.endsWith("." + z);
                if (match && z.length() > bestLength) {
                    best = p;
                    bestLength = z.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private List<String> claims(DnsConfig p) {
        Map<String, String> s = p.settings() == null ? Map.of() : p.settings();
        if ("acme-dns".equals(p.type()) && s.get("fulldomain") != null) return List.of(s.get("fulldomain").trim().toLowerCase(Locale.ROOT));
        if ("acme-dns".equals(p.type()) && !AcmeDnsAccount.inConfig(p)) {
            try {
                return List.of(AcmeDnsProvider.storedAccount(p, secrets).fulldomain());
            } catch (DnsProviderException e) {
                return List.of(); // not registered yet: it claims nothing; building it says so
            }
        }
        String zones = s.get("zones");
        if (zones == null || zones.isBlank()) return List.of();
        return List.of(zones.toLowerCase(Locale.ROOT).split("[,\\s]+")).stream().filter(z -> !z.isBlank()).toList();
    }

    private DnsConfig config(String id) throws DnsProviderException {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new DnsProviderException("no DNS provider '" + id + "' in certops.yaml"));
    }

    private DnsProvider provider(DnsConfig cfg) throws DnsProviderException {
        DnsProvider p = built.get(cfg.id());
        if (p == null) {
            p = DnsProviders.build(cfg, secrets, lookups);
            built.put(cfg.id(), p);
        }
        return p;
    }
}

package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;

import java.time.Clock;
import java.util.Locale;
import java.util.function.Function;

/**
 * Builds a {@link DnsProvider} from a {@code dns:} entry. Every provider it returns also implements
 * {@link PropagationSettings} (keys {@code propagationTimeout}, {@code pollInterval}; defaults 2m and 2s).
 *
 * <p>Types and their settings:
 * <ul>
 *   <li>{@code challtestsrv}: {@code url} — pebble-challtestsrv's management API (test labs only);
 *       {@code timeout} (10s).</li>
 *   <li>{@code rfc2136}: dynamic DNS UPDATE signed with TSIG. {@code server} (host:port, port 53 when
 *       left out), {@code zone} (found by a SOA lookup at the server when left out),
 *       {@code tsigKeyName}, {@code tsigAlgorithm} (hmac-sha256), {@code tsigSecret} (a
 *       {@code secret:NAME} reference to a file holding the base64 key, as tsig-keygen prints it),
 *       {@code ttl} (60), {@code timeout} (10s).</li>
 *   <li>{@code powerdns}: {@code url}, {@code apiKey} (secret), {@code serverId} (localhost), {@code zone}, {@code ttl}.</li>
 *   <li>{@code cloudflare}: {@code apiToken} (secret), {@code zone}, {@code ttl} (120), {@code apiUrl}.</li>
 *   <li>{@code route53}: {@code accessKeyId}, {@code secretAccessKey} (secret), {@code sessionToken} (secret),
 *       {@code hostedZoneId}, {@code zone}, {@code ttl}, {@code apiUrl}.</li>
 *   <li>{@code acme-dns}: {@code url}, {@code account} (secret, default {@code acme-dns-ID}: the account
 *       {@code certops dns register ID} stores), or {@code username}, {@code password} (secret), {@code subdomain},
 *       {@code fulldomain} (from acme-dns's /register); the target of a CNAME, it owns its fulldomain.</li>
 *   <li>{@code exec}: {@code command} — an executable called as {@code command present|cleanup FQDN VALUE}
 *       (argv, no shell); exit 0 means done. {@code timeout} (60s). Contract: docs/dns.md.</li>
 * </ul>
 * Every provider also takes {@code nameserverPort} (53) and {@code zones} (the zones it owns, for CNAME delegation).
 */
public final class DnsProviders {
    private DnsProviders() { }

    /**
     * The propagation check for records {@code provider} publishes: the zone's authoritative servers
     * (on the provider's {@code nameserverPort}) for every real provider; the workspace's resolvers for
     * pebble-challtestsrv, a lab server that answers for every name and has no zone.
     */
    public static PropagationChecker propagation(DnsProvider provider, Resolvers lookups, Clock clock) {
        if (provider instanceof ChallTestSrvProvider) return PropagationChecker.of(lookups, clock);
        return PropagationChecker.authoritative(lookups, clock, timing(provider).nameserverPort());
    }

    /** The provider's propagation timing (every built provider has one). */
    public static PropagationSettings timing(DnsProvider provider) {
        return provider instanceof PropagationSettings p ? p
                : new ProviderSettings.Timing(ProviderSettings.DEFAULT_PROPAGATION_TIMEOUT, ProviderSettings.DEFAULT_POLL_INTERVAL, 53);
    }

    /**
     * Validates {@code cfg} and builds its provider.
     *
     * @param secretReader reads a secret by name (the part after {@code secret:}); may throw an
     *                     unchecked exception whose message says why it could not
     * @throws DnsProviderException when a setting is missing or wrong; the message starts with the
     *                              type and names the key
     */
    public static DnsProvider build(DnsConfig cfg, Function<String, byte[]> secretReader) throws DnsProviderException {
        return build(cfg, secretReader, Resolvers.system());
    }

    /**
     * As {@link #build(DnsConfig, Function)}; providers that find a record's zone by a SOA walk ask
     * {@code lookups} (the workspace's {@code resolvers:}).
     */
    public static DnsProvider build(DnsConfig cfg, Function<String, byte[]> secretReader, Resolvers lookups) throws DnsProviderException {
        String type = cfg.type() == null ? "" : cfg.type().trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "challtestsrv" -> ChallTestSrvProvider.create(cfg);
            case "rfc2136" -> Rfc2136Provider.create(cfg, secretReader);
            case "exec" -> ExecProvider.create(cfg);
            case "powerdns" -> PowerDnsProvider.create(cfg, secretReader, lookups);
            case "cloudflare" -> CloudflareProvider.create(cfg, secretReader, lookups);
            case "route53" -> Route53Provider.create(cfg, secretReader, lookups, Clock.systemUTC());
            case "acme-dns" -> AcmeDnsProvider.create(cfg, secretReader);
            default -> throw new DnsProviderException("dns provider '" + cfg.id() + "'"
                    + (cfg.line() > 0 ? " (certops.yaml line " + cfg.line() + ")" : "")
                    + ": unknown type '" + cfg.type() + "'; use one of " + String.join(", ", DnsConfig.TYPES));
        };
    }
}

package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;

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
 *   <li>{@code exec}: {@code command} — an executable called as {@code command present|cleanup FQDN VALUE}
 *       (argv, no shell); exit 0 means done. {@code timeout} (60s).</li>
 * </ul>
 */
public final class DnsProviders {
    private DnsProviders() { }

    /**
     * Validates {@code cfg} and builds its provider.
     *
     * @param secretReader reads a secret by name (the part after {@code secret:}); may throw an
     *                     unchecked exception whose message says why it could not
     * @throws DnsProviderException when a setting is missing or wrong; the message starts with the
     *                              type and names the key
     */
    public static DnsProvider build(DnsConfig cfg, Function<String, byte[]> secretReader) throws DnsProviderException {
        String type = cfg.type() == null ? "" : cfg.type().trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "challtestsrv" -> ChallTestSrvProvider.create(cfg);
            case "rfc2136" -> Rfc2136Provider.create(cfg, secretReader);
            case "exec" -> ExecProvider.create(cfg);
            default -> throw new DnsProviderException("dns provider '" + cfg.id() + "'"
                    + (cfg.line() > 0 ? " (certops.yaml line " + cfg.line() + ")" : "")
                    + ": unknown type '" + cfg.type() + "'; use one of challtestsrv, rfc2136, exec");
        };
    }
}

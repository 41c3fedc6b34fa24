package dev.certops.acme.dns;

import dev.certops.config.CaConfig;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CAA issuer domain of a CA: {@code caaIdentity:} when the workspace sets it, otherwise looked up
 * by the host of its ACME directory in this table of well-known CAs.
 *
 * <table>
 *   <caption>Known directory hosts</caption>
 *   <tr><th>directory host</th><th>CAA identity</th></tr>
 *   <tr><td>acme-v02.api.letsencrypt.org, acme-staging-v02.api.letsencrypt.org</td><td>letsencrypt.org</td></tr>
 *   <tr><td>acme.zerossl.com (ZeroSSL issues through Sectigo)</td><td>sectigo.com</td></tr>
 *   <tr><td>dv.acme-v02.api.pki.goog, dv.acme-v02.test-api.pki.goog</td><td>pki.goog</td></tr>
 *   <tr><td>api.buypass.com, api.test4.buypass.no</td><td>buypass.com</td></tr>
 * </table>
 */
public final class CaaIdentities {
    private static final Map<String, String> BY_DIRECTORY_HOST = Map.of(
            "acme-v02.api.letsencrypt.org", "letsencrypt.org",
            "acme-staging-v02.api.letsencrypt.org", "letsencrypt.org",
            "acme.zerossl.com", "sectigo.com",
            "dv.acme-v02.api.pki.goog", "pki.goog",
            "dv.acme-v02.test-api.pki.goog", "pki.goog",
            "api.buypass.com", "buypass.com",
            "api.test4.buypass.no", "buypass.com");

    private CaaIdentities() { }

    /** The CAA identity of a well-known ACME directory; empty for others (a private CA, Pebble). */
    public static Optional<String> forDirectory(URI directory) {
        String host = directory.getHost();
        return host == null ? Optional.empty() : Optional.ofNullable(BY_DIRECTORY_HOST.get(host.toLowerCase(Locale.ROOT)));
    }

    /**
     * The CA's configured {@code caaIdentity}, else the table's entry for its directory. Empty means
     * unknown: the caller cannot check CAA and should ask the operator to set {@code caaIdentity}.
     */
    public static Optional<String> of(CaConfig ca) {
        Optional<String> configured = ca.caaIdentity().filter(s -> !s.isBlank()).map(String::trim);
        return configured.isPresent() ? configured : forDirectory(ca.directory());
    }
}

package dev.certops.acme.dns;

/**
 * A DNS provider for DNS-01: publish a TXT record, and remove it again. Two methods, as in lego;
 * optional abilities are separate small interfaces ({@link PropagationSettings}).
 *
 * <p>Providers validate their configuration once, when built ({@link DnsProviders}), and prefix their
 * errors with their own type ("rfc2136: TSIG key 'x' not found").
 */
public interface DnsProvider {

    /** The configured provider id ({@code dns: - id: lab}). */
    String id();

    /**
     * Publishes {@code value} as a TXT record at {@code fqdn} (absolute, with the trailing dot,
     * e.g. {@code _acme-challenge.example.com.}). Adding the same value twice is harmless.
     */
    void present(String fqdn, String value) throws DnsProviderException;

    /** Removes the TXT record {@code value} at {@code fqdn}; no error when it is already gone. */
    void cleanUp(String fqdn, String value) throws DnsProviderException;
}

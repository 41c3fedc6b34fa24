package dev.certops.acme.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which zone a provider writes a record into: the provider's {@code zone} setting when given (the
 * record must be inside it), otherwise the zone a SOA walk through the workspace's resolvers finds.
 */
final class Zones {
    private final String type;
    private final String id;
    private final Optional<Name> configured;
    private final Resolvers lookups;
    /** Zones already found, by record name: clean-up does not walk again what publishing walked. */
    private final Map<Name, Name> found = new ConcurrentHashMap<>();

    private Zones(String type, String id, Optional<Name> configured, Resolvers lookups) {
        this.type = type;
        this.id = id;
        this.configured = configured;
        this.lookups = lookups;
    }

    static Zones of(ProviderSettings s, Resolvers lookups) throws DnsProviderException {
        Optional<Name> zone = Optional.empty();
        if (s.optional("zone").isPresent()) {
            try {
                zone = Optional.of(DnsQueries.absolute(s.optional("zone").get()));
            } catch (TextParseException e) {
                throw s.error("key 'zone' has '" + s.optional("zone").get() + "', which is not a DNS name");
            }
        }
        return new Zones(s.type(), s.id(), zone, lookups);
    }

    Name name(String fqdn) throws DnsProviderException {
        try {
            return DnsQueries.absolute(fqdn);
        } catch (TextParseException e) {
            throw new DnsProviderException(type + ": '" + fqdn + "' is not a DNS name", e);
        }
    }

    Name zoneOf(Name name) throws DnsProviderException {
        if (configured.isPresent()) {
            if (!name.subdomain(configured.get())) {
                throw new DnsProviderException(type + ": " + name + " is not inside the configured zone " + configured.get()
                        + " (dns provider '" + id + "'); fix 'zone' or use a provider for that zone");
            }
            return configured.get();
        }
        Name known = found.get(name);
        if (known != null) return known;
        try {
            Name zone = DnsQueries.findZone(lookups::ask, name);
            found.put(name, zone);
            return zone;
        } catch (IOException e) {
            throw new DnsProviderException(type + ": cannot find the zone of " + name + " by a SOA walk through " + lookups
                    + " (" + e.getMessage() + "); set 'zone' for dns provider '" + id + "' or fix resolvers:", e);
        }
    }
}

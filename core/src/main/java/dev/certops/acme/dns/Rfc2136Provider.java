package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Update;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** RFC 2136 dynamic DNS UPDATE, signed with TSIG, sent over TCP to one primary server. */
final class Rfc2136Provider implements DnsProvider, PropagationSettings {
    private static final Logger LOG = LoggerFactory.getLogger(Rfc2136Provider.class);
    private static final Map<String, Name> ALGORITHMS = Map.of(
            "hmac-sha1", TSIG.HMAC_SHA1, "hmac-sha224", TSIG.HMAC_SHA224, "hmac-sha256", TSIG.HMAC_SHA256,
            "hmac-sha384", TSIG.HMAC_SHA384, "hmac-sha512", TSIG.HMAC_SHA512);

    private final String id;
    private final InetSocketAddress server;
    private final Optional<Name> zone;
    private final Name keyName;
    private final TSIG tsig;
    private final long ttl;
    private final Duration timeout;
    private final PropagationSettings timing;

    private Rfc2136Provider(String id, InetSocketAddress server, Optional<Name> zone, Name keyName, TSIG tsig,
                            long ttl, Duration timeout, PropagationSettings timing) {
        this.id = id;
        this.server = server;
        this.zone = zone;
        this.keyName = keyName;
        this.tsig = tsig;
        this.ttl = ttl;
        this.timeout = timeout;
        this.timing = timing;
    }

    static Rfc2136Provider create(DnsConfig cfg, Function<String, byte[]> secretReader) throws DnsProviderException {
        ProviderSettings s = ProviderSettings.of(cfg,
                Set.of("server", "zone", "tsigKeyName", "tsigAlgorithm", "tsigSecret", "ttl", "timeout"));
        InetSocketAddress server;
        String rawServer = s.required("server", "ns1.example.com:53");
        try {
            server = Resolvers.parseHostPort(rawServer, "server");
        } catch (IllegalArgumentException e) {
            throw s.error("key 'server' has '" + rawServer + "', which is not host:port; write e.g. 192.0.2.53:53");
        }
        Optional<Name> zone = Optional.empty();
        if (s.optional("zone").isPresent()) zone = Optional.of(name(s, "zone", s.optional("zone").get()));
        Name keyName = name(s, "tsigKeyName", s.required("tsigKeyName", "certops-key"));
        String algorithm = s.optional("tsigAlgorithm").orElse(ProviderSettings.DEFAULT_TSIG_ALGORITHM).toLowerCase();
        Name algorithmName = ALGORITHMS.get(algorithm);
        if (algorithmName == null) {
            throw s.error("key 'tsigAlgorithm' has '" + algorithm + "'; use one of " + String.join(", ", ALGORITHMS.keySet().stream().sorted().toList()));
        }
        byte[] key = readKey(s, secretReader);
        TSIG tsig = new TSIG(algorithmName, keyName, key);
        long ttl = s.number("ttl", ProviderSettings.DEFAULT_TTL, 1, 86_400);
        Duration timeout = s.duration("timeout", ProviderSettings.DEFAULT_DNS_TIMEOUT);
        return new Rfc2136Provider(cfg.id(), server, zone, keyName, tsig, ttl, timeout, s.propagation());
    }

    private static byte[] readKey(ProviderSettings s, Function<String, byte[]> secretReader) throws DnsProviderException {
        String key = s.secret("tsigSecret", "tsig-" + s.id(), secretReader);
        try {
            byte[] bytes = Base64.getDecoder().decode(key);
            if (bytes.length == 0) throw new IllegalArgumentException();
            return bytes;
        } catch (IllegalArgumentException e) {
            throw s.error("the secret named by key 'tsigSecret' is not a base64 TSIG key;"
                    + " store only the key, as the 'secret' line of tsig-keygen shows it");
        }
    }

    private static Name name(ProviderSettings s, String key, String raw) throws DnsProviderException {
        try {
            return DnsQueries.absolute(raw);
        } catch (TextParseException e) {
            throw s.error("key '" + key + "' has '" + raw + "', which is not a DNS name");
        }
    }

    @Override public String id() { return id; }

    @Override
    public void present(String fqdn, String value) throws DnsProviderException {
        Name name = recordName(fqdn);
        Name z = zoneFor(name);
        Update update = new Update(z);
        update.add(new TXTRecord(name, DClass.IN, ttl, value));
        send(update, "add TXT at " + name);
        LOG.info("rfc2136 {}: added TXT at {} in zone {}", id, name, z);
    }

    @Override
    public void cleanUp(String fqdn, String value) throws DnsProviderException {
        Name name = recordName(fqdn);
        Name z = zoneFor(name);
        Update update = new Update(z);
        update.delete(new TXTRecord(name, DClass.IN, 0, value));
        send(update, "delete TXT at " + name);
        LOG.info("rfc2136 {}: deleted TXT at {} in zone {}", id, name, z);
    }

    @Override public Duration propagationTimeout() { return timing.propagationTimeout(); }

    @Override public Duration pollInterval() { return timing.pollInterval(); }

    @Override public int nameserverPort() { return timing.nameserverPort(); }

    private Name recordName(String fqdn) throws DnsProviderException {
        try {
            return DnsQueries.absolute(fqdn);
        } catch (TextParseException e) {
            throw new DnsProviderException("rfc2136: '" + fqdn + "' is not a DNS name", e);
        }
    }

    private Name zoneFor(Name name) throws DnsProviderException {
        if (zone.isPresent()) {
            if (!name.subdomain(zone.get())) {
                throw new DnsProviderException("rfc2136: " + name + " is not inside the configured zone " + zone.get()
                        + " (dns provider '" + id + "'); fix 'zone' or use a provider for that zone");
            }
            return zone.get();
        }
        try {
            return DnsQueries.findZone(resolver(false), name);
        } catch (IOException e) {
            throw new DnsProviderException("rfc2136: cannot find the zone of " + name + " at " + server + " (" + e.getMessage()
                    + "); set 'zone' for dns provider '" + id + "'", e);
        }
    }

    private SimpleResolver resolver(boolean signed) {
        SimpleResolver r = new SimpleResolver(server);
        r.setTCP(true);
        r.setTimeout(timeout);
        if (signed) r.setTSIGKey(tsig);
        return r;
    }

    private void send(Update update, String what) throws DnsProviderException {
        Message response;
        try {
            response = resolver(true).send(update);
        } catch (IOException e) {
            throw new DnsProviderException("rfc2136: cannot " + what + ": " + server + " did not answer (" + e.getMessage()
                    + "); check 'server' of dns provider '" + id + "'", e);
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR) {
            TSIGRecord sig = response.getTSIG();
            String tsigError = sig != null && sig.getError() != Rcode.NOERROR ? ", TSIG " + Rcode.TSIGstring(sig.getError()) : "";
            throw new DnsProviderException("rfc2136: " + server + " refused to " + what + ": " + Rcode.string(rcode) + tsigError
                    + "; check that key '" + keyName + "' may update this name (update-policy) and that the secret matches");
        }
        if (!response.isVerified()) {
            throw new DnsProviderException("rfc2136: the answer from " + server + " to " + what
                    + " is not signed with key '" + keyName + "'; the update may or may not have happened");
        }
    }

    @Override
    public String toString() {
        return "rfc2136[id=" + id + ", server=" + server + ", zone=" + zone.map(Name::toString).orElse("(lookup)") + ", key=" + keyName + "]";
    }
}

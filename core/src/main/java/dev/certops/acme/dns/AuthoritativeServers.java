package dev.certops.acme.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The zone that holds a name and every one of its authoritative servers: a SOA walk up from the name,
 * the zone's NS records, and each NS host's addresses (A and AAAA), all through the workspace's
 * resolvers. The servers are then asked directly, without recursion, so no cache stands between
 * certops and what the zone really says.
 *
 * @param zone    the zone's apex ("example.com.")
 * @param servers each address of each NS host, in NS order
 */
public record AuthoritativeServers(Name zone, List<Nameserver> servers) {

    /** One address of one authoritative server: {@code ns2.example.com. (192.0.2.2:53)}. */
    public record Nameserver(Name host, InetSocketAddress address) {
        @Override public String toString() { return host.toString() + " (" + Resolvers.hostPort(address) + ")"; }
    }

    public AuthoritativeServers {
        servers = List.copyOf(servers);
    }

    /**
     * Finds the zone of {@code name} and its servers; each is to be asked on {@code port} (53 on the
     * internet; labs run their servers on other ports).
     *
     * @throws IOException when there is no zone, no NS record, or no NS host has an address; the
     *                     message says which
     */
    public static AuthoritativeServers of(Resolvers lookups, Name name, int port) throws IOException {
        Name zone = DnsQueries.findZone(lookups::ask, name);
        Message ns = lookups.ask(zone, Type.NS);
        List<NSRecord> hosts = DnsQueries.answers(ns, Type.NS, NSRecord.class);
        if (hosts.isEmpty()) throw new IOException("zone " + zone + " has no NS records");
        List<Nameserver> out = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        for (NSRecord r : hosts) {
            List<InetAddress> addresses = addresses(lookups, r.getTarget());
            if (addresses.isEmpty()) unresolved.add(r.getTarget().toString());
            for (InetAddress a : addresses) out.add(new Nameserver(r.getTarget(), new InetSocketAddress(a, port)));
        }
        if (out.isEmpty()) {
            throw new IOException("none of zone " + zone + "'s name servers (" + String.join(", ", unresolved) + ") has an address");
        }
        return new AuthoritativeServers(zone, out);
    }

    private static List<InetAddress> addresses(Resolvers lookups, Name host) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        DnsQueries.answers(lookups.ask(host, Type.A), Type.A, ARecord.class).forEach(r -> out.add(r.getAddress()));
        DnsQueries.answers(lookups.ask(host, Type.AAAA), Type.AAAA, AAAARecord.class).forEach(r -> out.add(r.getAddress()));
        return out;
    }
}

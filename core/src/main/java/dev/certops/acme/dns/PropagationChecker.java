package dev.certops.acme.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits until a DNS-01 TXT record is visible where the CA will look.
 *
 * <p>Either it asks each of the workspace's configured resolvers, or it finds the zone's
 * authoritative servers (SOA, then NS, then their addresses) and asks each one directly, without
 * recursion; see {@link #of} and {@link #authoritative}.
 * It looks every 100 ms at first, growing by half each time up to 2 s (or the provider's poll interval).
 */
public final class PropagationChecker {
    static final Duration FIRST_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(2);

    private final Resolvers resolvers;
    private final Clock clock;
    private final boolean authoritative;
    private final int authoritativePort;

    private PropagationChecker(Resolvers resolvers, Clock clock, boolean authoritative, int authoritativePort) {
        this.resolvers = resolvers;
        this.clock = clock;
        this.authoritative = authoritative;
        this.authoritativePort = authoritativePort;
    }

    /**
     * The workspace's checker: asks the configured resolvers when there are any, otherwise the zone's
     * authoritative servers on port 53 (found through the system resolvers).
     */
    public static PropagationChecker of(Resolvers resolvers, Clock clock) {
        return new PropagationChecker(resolvers, clock, !resolvers.configured(), 53);
    }

    /**
     * Always asks the zone's authoritative servers, found through {@code lookups}, on
     * {@code authoritativePort} (53 on the internet; labs run their servers elsewhere).
     */
    public static PropagationChecker authoritative(Resolvers lookups, Clock clock, int authoritativePort) {
        return new PropagationChecker(lookups, clock, true, authoritativePort);
    }

    /**
     * Returns once every server answers {@code value} among the TXT strings at {@code fqdn}.
     *
     * @param deadline how long to keep looking
     * @throws PropagationTimeoutException when {@code deadline} passed first; says what each server returned
     */
    public void awaitTxt(String fqdn, String value, Duration deadline) throws DnsProviderException {
        await(fqdn, value, deadline, MAX_INTERVAL);
    }

    /**
     * As {@link #awaitTxt(String, String, Duration)} with a provider's own timing: waits up to its
     * {@link PropagationSettings#propagationTimeout()}, looking at most every {@link PropagationSettings#pollInterval()}.
     */
    public void awaitTxt(String fqdn, String value, PropagationSettings timing) throws DnsProviderException {
        await(fqdn, value, timing.propagationTimeout(), timing.pollInterval());
    }

    private void await(String fqdn, String value, Duration deadline, Duration maxInterval) throws DnsProviderException {
        Name name;
        try {
            name = DnsQueries.absolute(fqdn);
        } catch (TextParseException e) {
            throw new DnsProviderException("propagation: '" + fqdn + "' is not a DNS name", e);
        }
        Instant end = clock.instant().plus(deadline);
        Duration interval = min(FIRST_INTERVAL, maxInterval);
        Map<String, String> lastSeen = new LinkedHashMap<>();
        List<InetSocketAddress> servers = List.of();
        while (true) {
            lastSeen.clear();
            if (servers.isEmpty()) servers = servers(name, lastSeen);
            if (!servers.isEmpty() && allSee(name, value, servers, lastSeen)) return;
            Duration left = Duration.between(clock.instant(), end);
            if (left.isNegative() || left.isZero()) {
                throw new PropagationTimeoutException("propagation: TXT " + name + " = \"" + value + "\" was not visible on "
                        + (authoritative ? "the authoritative servers" : "the configured resolvers") + " within "
                        + ProviderSettings.format(deadline) + "; last answers: " + describe(lastSeen)
                        + ". Check that the DNS provider writes to the zone these servers serve, or allow more time");
            }
            sleep(min(interval, left));
            interval = min(maxInterval, interval.plus(interval.dividedBy(2)));
        }
    }

    private boolean allSee(Name name, String value, List<InetSocketAddress> servers, Map<String, String> seen) {
        boolean all = true;
        for (InetSocketAddress server : servers) {
            String key = server.getAddress().getHostAddress() + ":" + server.getPort();
            try {
                Message m = DnsQueries.query(resolvers.single(server), name, Type.TXT, authoritative);
                List<String> values = DnsQueries.answers(m, Type.TXT, TXTRecord.class).stream()
                        .map(t -> String.join("", t.getStrings())).toList();
                if (values.contains(value)) {
                    seen.put(key, "the value");
                } else {
                    all = false;
                    seen.put(key, values.isEmpty() ? "no TXT record (" + Rcode.string(m.getRcode()) + ")" : "other values " + values);
                }
            } catch (IOException e) {
                all = false;
                seen.put(key, "no answer (" + e.getMessage() + ")");
            }
        }
        return all;
    }

    /** The servers to ask: the configured resolvers, or the zone's authoritative servers. */
    private List<InetSocketAddress> servers(Name name, Map<String, String> seen) {
        if (!authoritative) return resolvers.servers();
        try {
            Name zone = DnsQueries.findZone(resolvers.any(), name);
            Message ns = DnsQueries.query(resolvers.any(), zone, Type.NS, false);
            List<InetSocketAddress> out = new ArrayList<>();
            for (NSRecord r : DnsQueries.answers(ns, Type.NS, NSRecord.class)) {
                for (InetAddress a : addresses(r.getTarget())) out.add(new InetSocketAddress(a, authoritativePort));
            }
            if (out.isEmpty()) seen.put("zone " + zone, "no reachable NS records");
            return out;
        } catch (IOException e) {
            seen.put("authoritative servers of " + name, "not found (" + e.getMessage() + ")");
            return List.of();
        }
    }

    private List<InetAddress> addresses(Name host) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        Message a = DnsQueries.query(resolvers.any(), host, Type.A, false);
        DnsQueries.answers(a, Type.A, ARecord.class).forEach(r -> out.add(r.getAddress()));
        Message aaaa = DnsQueries.query(resolvers.any(), host, Type.AAAA, false);
        DnsQueries.answers(aaaa, Type.AAAA, AAAARecord.class).forEach(r -> out.add(r.getAddress()));
        return out;
    }

    private static String describe(Map<String, String> seen) {
        if (seen.isEmpty()) return "none";
        List<String> parts = new ArrayList<>();
        seen.forEach((server, answer) -> parts.add(server + " returned " + answer));
        return String.join("; ", parts);
    }

    private static void sleep(Duration d) throws DnsProviderException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException("propagation: interrupted while waiting", e);
        }
    }

    private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }
}

package dev.certops.acme.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * Waits until a DNS-01 TXT record is visible where the CA will look.
 *
 * <p>For a real DNS provider it finds the zone by a SOA walk and asks every address of every one of
 * the zone's authoritative servers directly, without recursion ({@link AuthoritativeServers}): a
 * recursive cache can answer an old value for minutes, and the CA may ask any of the servers. For
 * pebble-challtestsrv (a lab server with no zone) it asks the workspace's resolvers ({@link #of}).
 * It looks every 100 ms at first, growing by half each time up to 2 s (or the provider's poll interval),
 * until the deadline; the timeout names each server that still answers something else.
 */
public final class PropagationChecker {
    private static final Logger LOG = LoggerFactory.getLogger(PropagationChecker.class);

    static final Duration FIRST_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(2);

    private final Resolvers resolvers;
    private final Clock clock;
    private final boolean authoritative;
    private final int authoritativePort;

    /** What was seen when every server agreed: the zone (empty for configured resolvers) and the servers asked. */
    public record Seen(String zone, List<String> servers) { }

    private PropagationChecker(Resolvers resolvers, Clock clock, boolean authoritative, int authoritativePort) {
        this.resolvers = resolvers;
        this.clock = clock;
        this.authoritative = authoritative;
        this.authoritativePort = authoritativePort;
    }

    /**
     * Asks the workspace's configured resolvers when there are any (a lab server such as challtestsrv
     * that answers for every name), otherwise the zone's authoritative servers on port 53.
     */
    /**
     * Loads what a first check uses (names, a TXT query and answer in wire format) without asking anyone: a head
     * start's work, so the first check after publishing a record does not run dnsjava cold.
     */
    public static void prepare() throws IOException {
        Name name = DnsQueries.absolute("_acme-challenge.www.example.com");
        Message q = Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN));
        Message answer = new Message(q.toWire());
        answer.addRecord(new TXTRecord(name, DClass.IN, 60, "prepared"), Section.ANSWER);
        DnsQueries.answers(new Message(answer.toWire()), Type.TXT, TXTRecord.class);
    }

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
     * @throws PropagationTimeoutException when {@code deadline} passed first; names each server that
     *                                     does not have the value yet and what it answered
     */
    public Seen awaitTxt(String fqdn, String value, Duration deadline) throws DnsProviderException {
        return await(fqdn, value, true, deadline, MAX_INTERVAL);
    }

    /**
     * As {@link #awaitTxt(String, String, Duration)} with a provider's own timing: waits up to its
     * {@link PropagationSettings#propagationTimeout()}, looking at most every {@link PropagationSettings#pollInterval()}.
     */
    public Seen awaitTxt(String fqdn, String value, PropagationSettings timing) throws DnsProviderException {
        return await(fqdn, value, true, timing.propagationTimeout(), timing.pollInterval());
    }

    /** Returns once no server answers {@code value} at {@code fqdn} any more (after a clean-up). */
    public Seen awaitGone(String fqdn, String value, PropagationSettings timing) throws DnsProviderException {
        return await(fqdn, value, false, timing.propagationTimeout(), timing.pollInterval());
    }

    private Seen await(String fqdn, String value, boolean present, Duration deadline, Duration maxInterval) throws DnsProviderException {
        Name name;
        try {
            name = DnsQueries.absolute(fqdn);
        } catch (TextParseException e) {
            throw new DnsProviderException("propagation: '" + fqdn + "' is not a DNS name", e);
        }
        Instant end = clock.instant().plus(deadline);
        Duration interval = min(FIRST_INTERVAL, maxInterval);
        Map<String, String> behind = new LinkedHashMap<>();
        Targets targets = null;
        while (true) {
            behind.clear();
            if (targets == null) targets = targets(name, behind);
            if (targets != null && agree(name, value, present, targets, behind)) return new Seen(targets.zone, targets.labels());
            Duration left = Duration.between(clock.instant(), end);
            if (left.isNegative() || left.isZero()) throw timeout(name, value, present, deadline, targets, behind);
            sleep(min(interval, left));
            interval = min(maxInterval, interval.plus(interval.dividedBy(2)));
        }
    }

    private PropagationTimeoutException timeout(Name name, String value, boolean present, Duration deadline, Targets targets,
                                                Map<String, String> behind) {
        String where = targets == null ? "the authoritative servers"
                : targets.authoritative ? "every authoritative server of zone " + targets.zone : "every configured resolver";
        List<String> parts = new ArrayList<>();
        if (targets != null) targets.unfound().ifPresent(why -> parts.add("the authoritative servers of " + name + " could not be found ("
                + why + "), so the configured resolvers were asked"));
        behind.forEach((server, answer) -> parts.add(server + (targets == null ? " " : " still answers ") + answer));
        String state = present ? "was not visible on " + where : "was still published on " + where;
        List<String> fine = targets == null ? List.of() : targets.labels().stream().filter(s -> !behind.containsKey(s)).toList();
        return new PropagationTimeoutException("propagation: TXT " + name + " = \"" + value + "\" " + state + " within "
                + ProviderSettings.format(deadline) + ": " + String.join("; ", parts)
                + (fine.isEmpty() ? "" : " (" + (present ? "it is on " : "it is gone from ") + String.join(", ", fine) + ")")
                + ". Check that the DNS provider writes to the zone these servers serve and that every server gets the change"
                + " (zone transfer, NOTIFY), or allow more time (propagationTimeout)");
    }

    private boolean agree(Name name, String value, boolean present, Targets targets, Map<String, String> behind) {
        boolean all = true;
        for (int i = 0; i < targets.addresses.size(); i++) {
            String label = targets.labels.get(i);
            try {
                Message m = DnsQueries.query(resolvers.single(targets.addresses.get(i)), name, Type.TXT, targets.authoritative);
                List<String> values = DnsQueries.answers(m, Type.TXT, TXTRecord.class).stream()
                        .map(t -> String.join("", t.getStrings())).toList();
                if (values.contains(value) != present) {
                    all = false;
                    behind.put(label, present
                            ? (values.isEmpty() ? "no TXT record (" + Rcode.string(m.getRcode()) + ")" : "other values " + values)
                            : "the value");
                }
            } catch (IOException e) {
                all = false;
                behind.put(label, "nothing: no answer (" + e.getMessage() + ")");
            }
        }
        return all;
    }

    /** The servers to ask, or null (with the reason in {@code behind}) when they cannot be found yet. */
    private Targets targets(Name name, Map<String, String> behind) {
        if (!authoritative) return configuredResolvers();
        try {
            AuthoritativeServers auth = AuthoritativeServers.of(resolvers, name, authoritativePort);
            return new Targets(auth.zone().toString(), auth.servers().stream().map(AuthoritativeServers.Nameserver::address).toList(),
                    auth.servers().stream().map(AuthoritativeServers.Nameserver::toString).toList(), true, Optional.empty());
        } catch (IOException e) {
            if (resolvers.configured()) {
                // No zone above the name answers a SOA through the workspace's resolvers (a lab or split-horizon server that
                // answers for every name): the configured resolvers are then the only servers that can be asked.
                LOG.warn("no authoritative servers found for {} ({}); checking the configured resolvers instead", name, e.getMessage());
                Targets r = configuredResolvers();
                return new Targets(r.zone, r.addresses, r.labels, false, Optional.of(e.getMessage()));
            }
            behind.put("the authoritative servers of " + name, "could not be found (" + e.getMessage() + ")");
            return null;
        }
    }

    private Targets configuredResolvers() {
        return new Targets("", resolvers.servers(), resolvers.servers().stream().map(Resolvers::hostPort).toList(), false, Optional.empty());
    }

    /** @param unfound why the zone's authoritative servers could not be found, when the configured resolvers stand in for them */
    private record Targets(String zone, List<InetSocketAddress> addresses, List<String> labels, boolean authoritative, Optional<String> unfound) { }

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

package dev.certops.acme.dns;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS resolvers certops asks: the workspace's {@code resolvers: ["host:port", ...]}, or the
 * system's resolvers when that list is empty. Hands out dnsjava {@link Resolver}s with a timeout.
 */
public final class Resolvers {
    /** How long one query may take before it counts as failed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    private final List<InetSocketAddress> servers;
    private final boolean configured;
    private final Duration timeout;

    private Resolvers(List<InetSocketAddress> servers, boolean configured, Duration timeout) {
        this.servers = List.copyOf(servers);
        this.configured = configured;
        this.timeout = timeout;
    }

    /**
     * From the workspace's {@code resolvers:} entries ("127.0.0.1:53", "[::1]:5353", "10.0.0.2" for port 53);
     * the system's resolvers when {@code hostPorts} is empty.
     *
     * @throws IllegalArgumentException naming the entry that is not host:port
     */
    public static Resolvers of(List<String> hostPorts) {
        if (hostPorts.isEmpty()) return system();
        List<InetSocketAddress> parsed = new ArrayList<>();
        for (String hp : hostPorts) parsed.add(parseHostPort(hp, "resolvers"));
        return new Resolvers(parsed, true, DEFAULT_TIMEOUT);
    }

    /** The system's resolvers (resolv.conf and the like). */
    public static Resolvers system() {
        return new Resolvers(ResolverConfig.getCurrentConfig().servers(), false, DEFAULT_TIMEOUT);
    }

    /** The same servers with another per-query timeout. */
    public Resolvers withTimeout(Duration queryTimeout) { return new Resolvers(servers, configured, queryTimeout); }

    /** The servers, in order. */
    public List<InetSocketAddress> servers() { return servers; }

    /** True when the workspace named its resolvers; false for the system's. */
    public boolean configured() { return configured; }

    public Duration timeout() { return timeout; }

    /** A resolver that asks only {@code server}. */
    public Resolver single(InetSocketAddress server) {
        SimpleResolver r = new SimpleResolver(server);
        r.setTimeout(timeout);
        return r;
    }

    /** A resolver that asks the servers in turn until one answers. */
    public Resolver any() {
        if (servers.size() == 1) return single(servers.get(0));
        ExtendedResolver r = new ExtendedResolver(servers.stream().map(this::single).toList());
        r.setTimeout(timeout);
        r.setRetries(1);
        return r;
    }

    /**
     * Asks {@code name}/{@code type} (recursion desired) of each server in turn and returns the first
     * answer that is not a refusal or a server failure: a workspace may list the servers of several
     * zones (split DNS, labs), each answering only for its own.
     *
     * @throws IOException naming what each server said when none answered usefully
     */
    Message ask(Name name, int type) throws IOException {
        List<String> said = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            try {
                Message m = DnsQueries.query(single(server), name, type, false);
                int rcode = m.getRcode();
                if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) return m;
                said.add(hostPort(server) + " answered " + Rcode.string(rcode));
            } catch (IOException e) {
                said.add(hostPort(server) + " did not answer (" + e.getMessage() + ")");
            }
        }
        throw new IOException(said.isEmpty() ? "no resolver to ask" : String.join("; ", said));
    }

    /** "127.0.0.1:53", "[::1]:5353". */
    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Parses "host:port", "[v6]:port" or "host" (port 53). */
    static InetSocketAddress parseHostPort(String raw, String what) {
        String s = raw == null ? "" : raw.trim();
        String host = s;
        int port = 53;
        try {
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                host = s.substring(1, close);
                if (close + 1 < s.length()) {
                    if (s.charAt(close + 1) != ':') throw new IllegalArgumentException();
                    port = Integer.parseInt(s.substring(close + 2));
                }
            } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
            }
            if (host.isEmpty() || port < 1 || port > 65535) throw new IllegalArgumentException();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": '" + raw + "' is not host:port; write e.g. 127.0.0.1:53 or [::1]:53");
        }
        return new InetSocketAddress(host, port);
    }

    @Override public String toString() { return (configured ? "configured " : "system ") + servers; }
}

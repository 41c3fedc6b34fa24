package dev.certops.discover;

import dev.certops.config.Endpoint;
import dev.certops.config.SafeNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a discovery probes: addresses (IPv4 or IPv6), IPv4 CIDR ranges and host names, each on every
 * port, with every SNI name given or — without any — the host name itself (an address gets no SNI,
 * the server's default certificate answers). The usual mail and directory ports are upgraded with
 * their protocol's STARTTLS ({@link #startTlsOn}).
 */
public final class Targets {
    /** A range larger than this (a /16) is refused: it is a typo more often than an intent. */
    public static final int MAX_ADDRESSES = 65_536;

    private Targets() { }

    /** The endpoints to probe; a target that is neither an address, a range nor a host name is an {@link IllegalArgumentException} saying so. */
    public static List<Endpoint> endpoints(List<String> targets, List<Integer> ports, List<String> sni) {
        if (targets.isEmpty()) throw new IllegalArgumentException("give at least one target: an address, a CIDR range (e.g. 10.0.0.0/24) or a host name");
        if (ports.isEmpty()) throw new IllegalArgumentException("give at least one port, e.g. --ports 443,8443");
        for (int p : ports) if (p < 1 || p > 65535) throw new IllegalArgumentException("port " + p + " is out of range — allowed: 1 to 65535");
        for (String s : sni) {
            var problem = SafeNames.dnsNameProblem(s, false);
            if (problem.isPresent()) throw new IllegalArgumentException("SNI '" + SafeNames.printable(s) + "': " + problem.get());
        }
        Set<Endpoint> out = new LinkedHashSet<>();
        for (String target : targets) {
            for (String host : hosts(target.strip())) {
                for (int port : ports) {
                    Endpoint.StartTls upgrade = startTlsOn(port);
                    if (sni.isEmpty()) out.add(new Endpoint(host, port, host, upgrade));
                    else for (String name : sni) out.add(new Endpoint(host, port, name, upgrade));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The usual mail and directory ports speak plain text first: SMTP 25 and 587, POP3 110, IMAP 143, LDAP 389, PostgreSQL 5432. */
    static Endpoint.StartTls startTlsOn(int port) {
        return switch (port) {
            case 25, 587 -> Endpoint.StartTls.SMTP;
            case 110 -> Endpoint.StartTls.POP3;
            case 143 -> Endpoint.StartTls.IMAP;
            case 389 -> Endpoint.StartTls.LDAP;
            case 5432 -> Endpoint.StartTls.POSTGRES;
            default -> Endpoint.StartTls.NONE;
        };
    }

    static List<String> hosts(String target) {
        if (target.contains("/")) return range(target);
        var problem = SafeNames.addressProblem(target);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("'" + SafeNames.printable(target) + "' is not a target — allowed: an address (10.0.0.5), a CIDR range"
                    + " (10.0.0.0/24) or a host name (www.example.com): " + problem.get());
        }
        return List.of(target.toLowerCase(Locale.ROOT));
    }

    private static List<String> range(String cidr) {
        String[] parts = cidr.split("/", -1);
        int bits;
        try {
            bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            bits = -1;
        }
        long base = ipv4(parts[0]);
        if (parts.length != 2 || base < 0 || bits < 0 || bits > 32) {
            throw new IllegalArgumentException("'" + SafeNames.printable(cidr) + "' is not an IPv4 CIDR range — e.g. 10.0.0.0/24 or 127.0.0.0/22");
        }
        long size = 1L << (32 - bits);
        if (size > MAX_ADDRESSES) {
            throw new IllegalArgumentException("'" + cidr + "' is " + size + " addresses; discovery takes at most " + MAX_ADDRESSES
                    + " per range (a /16) — split it into smaller ranges");
        }
        long first = base & ~(size - 1) & 0xffffffffL;
        List<String> out = new ArrayList<>((int) size);
        for (long a = first; a < first + size; a++) {
            out.add(((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255));
        }
        return out;
    }

    private static long ipv4(String s) {
        String[] o = s.split("\\.", -1);
        if (o.length != 4) return -1;
        long v = 0;
        for (String x : o) {
            if (!x.matches("\\d{1,3}")) return -1;
            int n = Integer.parseInt(x);
            if (n > 255) return -1;
            v = v << 8 | n;
        }
        return v;
    }
}

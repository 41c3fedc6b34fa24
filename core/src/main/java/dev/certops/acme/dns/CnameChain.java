package dev.certops.acme.dns;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a DNS-01 record really lives: {@code _acme-challenge.NAME} and the CNAMEs it points through
 * (the acme-dns pattern: the fleet's zone delegates the challenge name to a zone that only a small,
 * separate credential may change). The CA follows the same chain, so the TXT is published at the end.
 *
 * @param names the record's name first, then each CNAME target in order; the last is where the TXT goes
 */
public record CnameChain(List<Name> names) {
    /** How many CNAMEs certops follows before it calls the chain broken. */
    public static final int MAX_HOPS = 8;

    public CnameChain {
        names = List.copyOf(names);
    }

    /** The chain can never validate: a loop, or too many CNAMEs. */
    public static final class Broken extends DnsProviderException {
        private static final long serialVersionUID = 1L;

        Broken(String message) { super(message); }
    }

    /** The name the TXT record is published at (the record's own name when there is no CNAME). */
    public Name target() { return names.get(names.size() - 1); }

    /** True when the record's name is a CNAME. */
    public boolean delegated() { return names.size() > 1; }

    /** "_acme-challenge.www.example.com. → www.acme.example.net." (one name when not delegated). */
    public String describe() { return String.join(" → ", names.stream().map(Name::toString).toList()); }

    /**
     * Follows the CNAMEs from {@code fqdn} through {@code lookups}.
     *
     * @throws DnsProviderException on a loop (naming the chain), on more than {@link #MAX_HOPS} CNAMEs,
     *                              or when the lookups fail
     */
    public static CnameChain follow(Resolvers lookups, String fqdn) throws DnsProviderException {
        Name start;
        try {
            start = DnsQueries.absolute(fqdn);
        } catch (TextParseException e) {
            throw new DnsProviderException("cname: '" + fqdn + "' is not a DNS name", e);
        }
        List<Name> chain = new ArrayList<>(List.of(start));
        Name current = start;
        while (true) {
            Message m;
            try {
                m = lookups.ask(current, Type.CNAME);
            } catch (IOException e) {
                throw new DnsProviderException("cname: cannot look up " + current + " (" + e.getMessage()
                        + "); check resolvers: in certops.yaml", e);
            }
            Name next = null;
            for (CNAMERecord r : DnsQueries.answers(m, Type.CNAME, CNAMERecord.class)) {
                if (r.getName().equals(current)) next = r.getTarget();
            }
            if (next == null) return new CnameChain(chain);
            boolean loop = chain.contains(next);
            chain.add(next);
            String shown = String.join(" → ", chain.stream().map(Name::toString).toList());
            if (loop) {
                throw new Broken("cname: the CNAMEs from " + start + " form a loop: " + shown
                        + "; the CA cannot validate this name. Fix the CNAME records so the chain ends at a name that can hold TXT records");
            }
            if (chain.size() - 1 > MAX_HOPS) {
                throw new Broken("cname: " + start + " goes through more than " + MAX_HOPS + " CNAMEs (" + shown
                        + "); shorten the chain: point _acme-challenge straight at the delegated name");
            }
            current = next;
        }
    }
}

package dev.certops.acme.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.List;

/** Small DNS helpers shared by the providers and checkers. */
final class DnsQueries {
    private DnsQueries() { }

    static Name absolute(String fqdn) throws TextParseException {
        return Name.fromString(fqdn.endsWith(".") ? fqdn : fqdn + ".");
    }

    /** A query for {@code name}/{@code type}; recursion desired unless {@code authoritative}. */
    static Message query(Resolver resolver, Name name, int type, boolean authoritative) throws IOException {
        Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (authoritative) q.getHeader().unsetFlag(Flags.RD);
        return resolver.send(q);
    }

    /** The answer records of {@code type} in {@code m}. */
    static <T extends Record> List<T> answers(Message m, int type, Class<T> cls) {
        return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).map(cls::cast).toList();
    }

    /** Asks one question somewhere: one resolver, or several in turn ({@link Resolvers#ask}). */
    @FunctionalInterface
    interface Asker {
        Message ask(Name name, int type) throws IOException;
    }

    /**
     * The zone that holds {@code name}, found by a SOA walk at one server: the closest enclosing name
     * that has a SOA record (or that a negative answer's authority section names).
     */
    static Name findZone(Resolver resolver, Name name) throws IOException {
        return findZone((n, type) -> query(resolver, n, type, false), name);
    }

    /** As {@link #findZone(Resolver, Name)}, asking through {@code asker}. */
    static Name findZone(Asker asker, Name name) throws IOException {
        for (Name n = name; n.labels() > 1; n = new Name(n, 1)) {
            Message m = asker.ask(n, Type.SOA);
            int rcode = m.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                throw new IOException("SOA lookup for " + n + " answered " + Rcode.string(rcode));
            }
            for (SOARecord soa : answers(m, Type.SOA, SOARecord.class)) {
                if (soa.getName().equals(n)) return n;
            }
            for (Record r : m.getSection(Section.AUTHORITY)) {
                if (r.getType() == Type.SOA && name.subdomain(r.getName())) return r.getName();
            }
        }
        throw new IOException("no SOA record for " + name + " or any parent");
    }
}

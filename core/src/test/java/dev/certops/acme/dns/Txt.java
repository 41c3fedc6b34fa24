package dev.certops.acme.dns;

import org.xbill.DNS.Message;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.List;

/** Reads TXT values straight from one server, for assertions. */
final class Txt {
    private Txt() { }

    static List<String> at(String hostPort, String fqdn) throws IOException {
        Resolvers r = Resolvers.of(List.of(hostPort));
        Message m = DnsQueries.query(r.any(), DnsQueries.absolute(fqdn), Type.TXT, false);
        return DnsQueries.answers(m, Type.TXT, TXTRecord.class).stream().map(t -> String.join("", t.getStrings())).toList();
    }
}

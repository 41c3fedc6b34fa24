package dev.certops.acme.dns;

import org.xbill.DNS.CAARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks CAA (RFC 8659) before asking a CA: for each name, climbs from the name towards the root until
 * a CAA record set is found, and checks its {@code issue} properties (for a wildcard name its
 * {@code issuewild} properties when there are any) against the CA's identity. Asks the
 * {@link Resolvers} it is given. A failed lookup is reported as {@link CaaResult.LookupFailed}:
 * CAs refuse to issue when they cannot read CAA.
 */
public final class CaaChecker {
    private static final Set<String> KNOWN_TAGS = Set.of("issue", "issuewild", "iodef", "issuemail", "contactemail", "contactphone");
    private static final int CRITICAL = 0x80;

    private final Resolvers resolvers;

    public CaaChecker(Resolvers resolvers) { this.resolvers = resolvers; }

    /**
     * @param names       the certificate's DNS names ("example.com", "*.example.com")
     * @param caaIdentity the CA's issuer domain ({@link CaaIdentities#of})
     */
    public CaaVerdict check(List<String> names, String caaIdentity) {
        String identity = caaIdentity.trim().toLowerCase(Locale.ROOT);
        List<CaaResult> results = new ArrayList<>();
        for (String name : names) results.add(checkOne(name, identity));
        return new CaaVerdict(identity, results);
    }

    private CaaResult checkOne(String asked, String identity) {
        boolean wildcard = asked.startsWith("*.");
        Name start;
        try {
            start = DnsQueries.absolute(wildcard ? asked.substring(2) : asked);
        } catch (TextParseException e) {
            return new CaaResult.LookupFailed(asked, "'" + asked + "' is not a DNS name; fix the certificate's names");
        }
        for (Name n = start; n.labels() > 1; n = new Name(n, 1)) {
            Message m;
            try {
                m = DnsQueries.query(resolvers.any(), n, Type.CAA, false);
            } catch (IOException e) {
                return failed(asked, n, "no answer (" + e.getMessage() + ")");
            }
            if (m.getRcode() != Rcode.NOERROR && m.getRcode() != Rcode.NXDOMAIN) {
                return failed(asked, n, Rcode.string(m.getRcode()));
            }
            List<CAARecord> set = DnsQueries.answers(m, Type.CAA, CAARecord.class);
            if (!set.isEmpty()) return evaluate(asked, wildcard, n, set, identity);
        }
        return new CaaResult.Allowed(asked, "no CAA record for " + display(start) + " or its parents: any CA may issue");
    }

    private static CaaResult evaluate(String asked, boolean wildcard, Name owner, List<CAARecord> set, String identity) {
        String where = "CAA for " + asked + (owner.equals(name(asked)) ? "" : " (set at " + display(owner) + ")");
        for (CAARecord r : set) {
            String tag = r.getTag().toLowerCase(Locale.ROOT);
            if ((r.getFlags() & CRITICAL) != 0 && !KNOWN_TAGS.contains(tag)) {
                return new CaaResult.Refused(asked, where + " has a critical property '" + tag
                        + "' that CAs may not understand; " + identity + " will refuse to issue");
            }
        }
        boolean hasWild = set.stream().anyMatch(r -> r.getTag().equalsIgnoreCase("issuewild"));
        String tag = wildcard && hasWild ? "issuewild" : "issue";
        List<CAARecord> props = set.stream().filter(r -> r.getTag().equalsIgnoreCase(tag)).toList();
        if (props.isEmpty()) {
            return new CaaResult.Allowed(asked, where + " has no '" + tag + "' property: any CA may issue");
        }
        Set<String> issuers = new LinkedHashSet<>();
        for (CAARecord r : props) {
            String domain = issuerDomain(r.getValue());
            if (domain.equals(identity)) return new CaaResult.Allowed(asked, where + " allows " + identity);
            if (!domain.isEmpty()) issuers.add(domain);
        }
        String via = tag.equals("issuewild") ? " (issuewild)" : "";
        if (issuers.isEmpty()) {
            return new CaaResult.Refused(asked, where + via + " forbids all issuance; " + identity + " cannot issue");
        }
        return new CaaResult.Refused(asked, where + via + " allows only " + String.join(", ", issuers)
                + "; " + identity + " cannot issue");
    }

    private static CaaResult failed(String asked, Name at, String what) {
        return new CaaResult.LookupFailed(asked, "CAA lookup for " + display(at) + " failed: " + what
                + "; CAs treat a failed CAA lookup as a refusal, so fix DNS for " + display(at) + " before issuing");
    }

    /** The issuer domain of an issue/issuewild value: the part before ';', trimmed, lower case. */
    static String issuerDomain(String value) {
        int semi = value.indexOf(';');
        return (semi >= 0 ? value.substring(0, semi) : value).trim().toLowerCase(Locale.ROOT);
    }

    private static Name name(String asked) {
        try {
            return DnsQueries.absolute(bare(asked));
        } catch (TextParseException e) {
            throw new IllegalStateException(e); // already parsed once
        }
    }

    private static String bare(String asked) { return asked.startsWith("*.") ? asked.substring(2) : asked; }

    private static String display(Name n) { return n.toString(true); }
}

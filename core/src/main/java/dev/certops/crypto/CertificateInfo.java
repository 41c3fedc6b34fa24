package dev.certops.crypto;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;

/**
 * What an operator needs to know about one certificate, derived once: names, issuer, serial, key,
 * validity, fingerprint. The estate, deploy and ACME features all use this one reading.
 *
 * @param serial lower-case hex without leading zeros
 * @param authorityKeyId hex of the AKI (ARI's certID uses it), empty when absent
 */
public record CertificateInfo(String subjectCn, List<String> sans, String issuerDn, String issuerCn, String issuerOrg,
                              String serial, String keyDescription, Optional<KeyType> keyType, Instant notBefore,
                              Instant notAfter, Fingerprint fingerprint, boolean selfSigned, String authorityKeyId) {

    public static CertificateInfo from(X509Certificate c) {
        String issuer = c.getIssuerX500Principal().getName();
        return new CertificateInfo(rdn(c.getSubjectX500Principal().getName(), "CN"), sans(c), issuer, rdn(issuer, "CN"), rdn(issuer, "O"),
                c.getSerialNumber().toString(16), Keys.describe(c.getPublicKey()), Keys.typeOf(c.getPublicKey()),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), Fingerprint.of(c),
                c.getSubjectX500Principal().equals(c.getIssuerX500Principal()), aki(c));
    }

    public Duration lifetime() { return Duration.between(notBefore, notAfter); }

    /**
     * Whole days left at {@code now}, counted toward zero: 10 days and 5 hours left is 10, expired 26
     * hours ago is -1 (not -2), anything within a day either side of notAfter is 0.
     */
    public long daysLeft(Instant now) { return Duration.between(now, notAfter).toSeconds() / 86_400L; }

    public boolean expiredAt(Instant now) { return !now.isBefore(notAfter); }

    /** The names a host name must match: the SANs, or the CN when there are none. */
    public List<String> names() { return sans.isEmpty() && !subjectCn.isEmpty() ? List.of(subjectCn) : sans; }

    public boolean covers(String hostname) { return NameMatch.covers(names(), hostname); }

    private static List<String> sans(X509Certificate c) {
        try {
            return List.copyOf(altNames(c, 2, 7));
        } catch (CertificateParsingException e) {
            return List.of(); // an unreadable SAN extension leaves the list empty; the estate reports the names it could read
        }
    }

    /** The subject alternative names of the given types (2 DNS, 7 IP address), in the certificate's order. */
    static List<String> altNames(X509Certificate c, int... types) throws CertificateParsingException {
        List<String> out = new ArrayList<>();
        Collection<List<?>> alt = c.getSubjectAlternativeNames();
        if (alt == null) return out;
        for (List<?> e : alt) {
            if (e.size() < 2 || !(e.get(0) instanceof Integer type)) continue;
            for (int wanted : types) {
                if (type == wanted) out.add(String.valueOf(e.get(1)));
            }
        }
        return out;
    }

    /** The value of the first {@code type} attribute ("CN", "O") of an RFC 2253 name; "" when absent or unreadable. */
    public static String rdn(String dn, String type) {
        try {
            for (Rdn r : new LdapName(dn).getRdns()) {
                if (r.getType().equalsIgnoreCase(type)) return String.valueOf(r.getValue());
            }
        } catch (InvalidNameException e) {
            return "";
        }
        return "";
    }

    private static String aki(X509Certificate c) {
        byte[] ext = c.getExtensionValue("2.5.29.35");
        if (ext == null) return "";
        try {
            AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            byte[] id = aki.getKeyIdentifier();
            return id == null ? "" : HexFormat.of().formatHex(id);
        } catch (RuntimeException e) {
            return "";
        }
    }
}

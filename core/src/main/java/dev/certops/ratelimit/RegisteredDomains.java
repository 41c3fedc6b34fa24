package dev.certops.ratelimit;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The registered domain of a name, as Let's Encrypt computes it for "new certificates per registered domain".
 *
 * <p><b>Source of the Public Suffix List.</b> Guava's {@link InternetDomainName} (guava is already a core
 * dependency) ships the list compiled into the library, maintained upstream. Refreshing it means bumping
 * {@code guava.version} in the root pom; no hand-written "last two labels" rule and no list file of our own
 * to forget.
 *
 * <p><b>Private suffixes.</b> Let's Encrypt computes the registered domain with the whole PSL, ICANN
 * <em>and</em> private sections (Boulder uses publicsuffix-go's default list, which includes the private
 * section): that is why every {@code user.github.io} site gets its own 50 certificates, and why registering
 * a suffix in the PSL's private section is Let's Encrypt's documented remedy for hosting providers.
 * Guava's {@link InternetDomainName#topPrivateDomain()} uses exactly that list (one label below the public
 * suffix, private entries included: {@code a.b.foo.github.io → foo.github.io}), whereas
 * {@link InternetDomainName#topDomainUnderRegistrySuffix()} uses the ICANN section only
 * ({@code → github.io}), which would lump every GitHub Pages site into one bucket. We use topPrivateDomain.
 *
 * <p><b>Other rules.</b> Names are lower-cased and Unicode labels turned into punycode (A-labels), the form
 * ACME identifiers take, so {@code bücher.de} and {@code xn--bcher-kva.de} are one domain. A wildcard
 * {@code *.example.com} counts for {@code example.com}. A name under no known public suffix (a lab
 * {@code .test} name, an IP address) is its own registered domain.
 */
public final class RegisteredDomains {
    private RegisteredDomains() { }

    /** The canonical form of an identifier: lower-case A-labels, no trailing dot, wildcard kept. */
    public static String normalize(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an empty name cannot be counted against a rate limit");
        String n = name.trim();
        if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
        if (InetAddresses.isInetAddress(n)) return n.toLowerCase(Locale.ROOT);
        boolean wildcard = n.startsWith("*.");
        String base = wildcard ? n.substring(2) : n;
        String ascii;
        try {
            ascii = IDN.toASCII(base, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("name '" + name + "' is not a valid domain name (" + e.getMessage() + "); fix it in the certificate's names", e);
        }
        return wildcard ? "*." + ascii : ascii;
    }

    /** The registered domain of one name (wildcards and IDNs allowed). */
    public static String of(String name) {
        String n = normalize(name);
        if (n.startsWith("*.")) n = n.substring(2);
        if (InetAddresses.isInetAddress(n)) return n;
        InternetDomainName d;
        try {
            d = InternetDomainName.from(n);
        } catch (IllegalArgumentException e) {
            return n;
        }
        if (d.isUnderPublicSuffix()) return d.topPrivateDomain().toString();
        return n;
    }

    /** The distinct registered domains of a certificate's names, in first-seen order. */
    public static Set<String> of(Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) out.add(of(n));
        return out;
    }
}

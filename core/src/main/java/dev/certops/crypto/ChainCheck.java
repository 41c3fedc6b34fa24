package dev.certops.crypto;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Orders a chain leaf-first and reports what a client would trip over: wrong order, a missing
 * intermediate (a chain that ends at a certificate that is neither self-signed nor followed by its
 * issuer), links whose signature does not verify, and extra certificates that belong to no path.
 */
public final class ChainCheck {
    private ChainCheck() { }

    public static ChainReport analyze(List<X509Certificate> given) {
        if (given.isEmpty()) throw new IllegalArgumentException("an empty chain has nothing to analyze");
        List<String> problems = new ArrayList<>();
        X509Certificate leaf = findLeaf(given);
        List<X509Certificate> ordered = new ArrayList<>();
        Set<X509Certificate> left = new LinkedHashSet<>(given);
        X509Certificate cur = leaf;
        ordered.add(cur);
        left.remove(cur);
        while (!selfSigned(cur)) {
            X509Certificate issuer = issuerOf(cur, left);
            if (issuer == null) break;
            if (!signedBy(cur, issuer)) problems.add("the signature of '" + cn(cur) + "' does not verify with '" + cn(issuer) + "'");
            ordered.add(issuer);
            left.remove(issuer);
            cur = issuer;
        }
        Optional<String> missing = Optional.empty();
        if (!selfSigned(cur)) {
            missing = Optional.of(cur.getIssuerX500Principal().getName());
            // A chain that ends just below a root is normal (servers omit the root); only a chain whose last
            // certificate's issuer is itself an intermediate would be incomplete — we cannot tell a root
            // from an intermediate by name, so the leaf alone, issued by someone else, is what we report.
            if (ordered.size() == 1) {
                problems.add("intermediate missing: the leaf was issued by '" + missing.get() + "', which the server does not send");
            } else {
                missing = Optional.empty();
            }
        }
        boolean wrongOrder = !ordered.equals(given.subList(0, Math.min(given.size(), ordered.size())));
        if (wrongOrder) problems.add("the chain is out of order: the leaf must come first, each certificate followed by its issuer");
        if (!left.isEmpty()) problems.add(left.size() + " certificate(s) in the chain belong to no path from the leaf");
        return new ChainReport(leaf, ordered, wrongOrder, missing, problems);
    }

    /** The certificate that issued no other certificate in the list. */
    private static X509Certificate findLeaf(List<X509Certificate> certs) {
        for (X509Certificate c : certs) {
            boolean issuesAnother = certs.stream().anyMatch(o -> o != c && o.getIssuerX500Principal().equals(c.getSubjectX500Principal()) && !selfSigned(o));
            if (!issuesAnother && c.getBasicConstraints() < 0) return c;
        }
        return certs.get(0);
    }

    private static X509Certificate issuerOf(X509Certificate cert, Set<X509Certificate> candidates) {
        for (X509Certificate c : candidates) {
            if (c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) return c;
        }
        return null;
    }

    static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c);
    }

    static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String cn(X509Certificate c) { return c.getSubjectX500Principal().getName(); }
}

package dev.certops.estate;

import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.ChainReport;
import dev.certops.crypto.Keys;
import dev.certops.estate.Finding.Kind;
import dev.certops.scan.ClientTrust;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;

/**
 * What a TLS client says about a served chain, apart from the name (which depends on the endpoint):
 * validity of every certificate, key and signature strength below the trust anchor, the leaf's
 * extended key usage, completeness and order, and whether a path to a trusted root can be built
 * (Java's PKIX CertPathBuilder with the served intermediates, anchors = {@link ClientTrust}).
 * No I/O. Each {@link Chain} sentence completes "ENDPOINT …".
 */
final class ClientVerdict {
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The endpoint-independent part of the verdict, computed once per distinct chain. */
    record Chain(List<Finding> findings) {
        Chain { findings = List.copyOf(findings); }

        Chain and(Optional<Finding> more) {
            if (more.isEmpty()) return this;
            List<Finding> all = new ArrayList<>(findings);
            all.add(more.get());
            return new Chain(all);
        }
    }

    /**
     * Where path-building verdicts may be remembered: {@code build} finds a path to one of {@code trust}'s roots
     * for {@code served} at {@code at} (empty: found). {@link #NONE} builds every time.
     */
    @FunctionalInterface
    interface Paths {
        Optional<Finding> built(List<X509Certificate> served, ClientTrust trust, Instant at, Supplier<Optional<Finding>> build);

        Paths NONE = (served, trust, at, build) -> build.get();
    }

    private ClientVerdict() { }

    /** The verdict on one chain as served (leaf first as sent), at {@code now}, building the path every time. */
    static Chain of(List<X509Certificate> served, ChainReport report, ClientTrust trust, Instant now) {
        return of(served, report, trust, now, Paths.NONE);
    }

    /** The verdict on one chain as served (leaf first as sent), at {@code now}; the path to a trusted root through {@code paths}. */
    static Chain of(List<X509Certificate> served, ChainReport report, ClientTrust trust, Instant now, Paths paths) {
        List<Finding> out = new ArrayList<>();
        X509Certificate leaf = report.leaf();
        List<X509Certificate> path = report.ordered();
        boolean validityProblem = false;
        for (X509Certificate c : path) {
            if (selfSigned(c) && c != leaf) continue; // a sent root: clients use their own copy
            if (now.isBefore(c.getNotBefore().toInstant())) {
                validityProblem = true;
                out.add(Finding.of(Kind.NOT_YET_VALID, "serves " + which(c, leaf) + " that is not valid before " + DAY.format(c.getNotBefore().toInstant())
                        + ": clients reject it until then — check the clock of the CA or of whoever made it, or serve the previous certificate until then"));
            } else if (!now.isBefore(c.getNotAfter().toInstant())) {
                validityProblem = true;
                out.add(c == leaf
                        ? Finding.of(Kind.EXPIRED, "serves a certificate that expired on " + DAY.format(c.getNotAfter().toInstant()) + " — renew it and deploy the new one")
                        : Finding.of(Kind.INTERMEDIATE_EXPIRED, "serves the intermediate '" + name(c) + "', which expired on " + DAY.format(c.getNotAfter().toInstant())
                                + ": clients reject the chain — download the CA's current chain and deploy it with the certificate"));
            }
        }
        for (X509Certificate c : path) {
            if (selfSigned(c) && c != leaf) continue; // the anchor's own key and self-signature are not checked by clients
            weakKey(c.getPublicKey()).ifPresentOrElse(w -> out.add(Finding.of(Kind.WEAK_KEY, "serves " + which(c, leaf) + " with a " + w
                    + " key, which clients refuse (at least RSA 2048 or EC P-256) — issue a new certificate with a stronger key")), () -> { });
            String alg = c.getSigAlgName().toUpperCase(Locale.ROOT);
            if (alg.contains("SHA1") || alg.contains("MD5") || alg.contains("MD2")) {
                out.add(Finding.of(Kind.WEAK_SIGNATURE, "serves " + which(c, leaf) + " signed with " + c.getSigAlgName()
                        + ", which clients no longer accept — reissue it from a CA that signs with SHA-256 or better"));
            }
        }
        boolean weak = out.stream().anyMatch(f -> f.kind() == Kind.WEAK_KEY || f.kind() == Kind.WEAK_SIGNATURE);
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(SERVER_AUTH)) {
                out.add(Finding.of(Kind.NO_SERVER_AUTH, "serves a certificate whose extended key usage " + eku
                        + " does not include serverAuth: clients refuse it for a TLS server — issue it with the serverAuth usage"));
            }
        } catch (CertificateParsingException e) {
            out.add(Finding.of(Kind.NO_SERVER_AUTH, "serves a certificate whose extended key usage cannot be read — reissue it"));
        }
        for (String p : report.problems()) {
            if (report.missingIntermediate() && p.startsWith("intermediate missing")) continue; // decided below, with the trust anchors
            out.add(report.wrongOrder() && p.contains("out of order")
                    ? Finding.of(Kind.CHAIN_OUT_OF_ORDER, "sends its chain out of order (clients accept it, but some older ones do not) — put the leaf first,"
                            + " then each certificate's issuer, in fullchain.pem")
                    : Finding.of(Kind.CHAIN_INVALID, "serves a broken chain: " + p + " — deploy the chain exactly as the CA issued it"));
        }
        trust(leaf, served, report, trust, now, validityProblem, weak, paths).ifPresent(out::add);
        return new Chain(out);
    }

    /**
     * Self-signed, missing intermediate, or no path to a trusted root; empty when a client finds a path. A path to one of
     * the {@code trust:} files' own roots is asked first: found, it is the answer whatever else clients trust (more anchors
     * never undo a path), and Java's trust store is not read; otherwise the whole trust answers, Java's roots included.
     */
    private static Optional<Finding> trust(X509Certificate leaf, List<X509Certificate> served, ChainReport report, ClientTrust trust,
                                                     Instant now, boolean validityProblem, boolean weak, Paths paths) {
        Optional<ClientTrust> own = trust.ownRootsOnly();
        if (own.isPresent() && trust(leaf, served, report, own.get(), now, validityProblem, weak, paths, true).isEmpty()) return Optional.empty();
        return trust(leaf, served, report, trust, now, validityProblem, weak, paths, false);
    }

    /** @param found only a path found is empty (a weak chain's constraint failure is not taken as "said already"): see above */
    private static Optional<Finding> trust(X509Certificate leaf, List<X509Certificate> served, ChainReport report, ClientTrust trust,
                                           Instant now, boolean validityProblem, boolean weak, Paths paths, boolean found) {
        if (trust.isAnchor(leaf)) return Optional.empty();
        if (selfSigned(leaf)) {
            return Optional.of(Finding.of(Kind.SELF_SIGNED, "serves a self-signed certificate no client trusts — issue one from a CA"
                    + " (`certops issue`), or, if it is your own root on purpose, add it with trust: [FILE] in certops.yaml"));
        }
        if (report.ordered().size() == 1 && !trust.hasSubject(leaf.getIssuerX500Principal())) {
            return Optional.of(Finding.of(Kind.INTERMEDIATE_MISSING, "sends its certificate without the intermediate that issued it ('"
                    + name(leaf.getIssuerX500Principal()) + "'): clients cannot build a path and reject it — serve fullchain.pem (the certificate"
                    + " followed by its intermediate), not cert.pem"));
        }
        Instant at = now;
        if (validityProblem) {
            // judge trust at a moment when every certificate is valid; validity has its own findings
            at = latestStart(report.ordered());
            if (!at.isBefore(earliestEnd(report.ordered()))) return Optional.empty();
        }
        Instant when = at;
        return paths.built(served, trust, at, () -> path(leaf, served, report, trust, when, weak && !found));
    }

    /** PKIX path building from the leaf through the served certificates to an anchor: empty when a client finds a path. */
    private static Optional<Finding> path(X509Certificate leaf, List<X509Certificate> served, ChainReport report, ClientTrust trust, Instant at, boolean weak) {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(trust.anchors(), target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(served)));
            CertPathBuilder.getInstance("PKIX").build(params);
            return Optional.empty();
        } catch (CertPathBuilderException e) {
            if (weak && constrained(e)) return Optional.empty(); // the weak key or signature is the reason, already said
            X509Certificate top = report.ordered().get(report.ordered().size() - 1);
            String end = selfSigned(top) ? "the root '" + name(top) + "'" : "'" + name(top) + "', issued by '" + top.getIssuerX500Principal().getName() + "'";
            return Optional.of(Finding.of(Kind.UNTRUSTED, "serves a chain that ends at " + end + ", which no client trusts (not in Java's"
                    + " trust store nor in the trust: files) — serve a certificate from a trusted CA, or, if this is your internal CA, add its root"
                    + " with trust: [FILE] in certops.yaml"));
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("PKIX path building is not available in this Java: " + e.getMessage(), e);
        }
    }

    private static boolean constrained(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) return true;
        }
        return false;
    }

    /** "RSA 1024" when the key is below RSA 2048 or EC P-256, else empty. */
    static Optional<String> weakKey(PublicKey key) {
        int bits = Keys.bits(key);
        String alg = key.getAlgorithm();
        boolean weak = switch (alg) {
            case "RSA" -> bits < 2048;
            case "EC", "ECDSA" -> bits < 256;
            case "DSA" -> true;
            default -> false;
        };
        return weak ? Optional.of(Keys.describe(key)) : Optional.empty();
    }

    private static Instant latestStart(List<X509Certificate> chain) {
        Instant t = Instant.MIN;
        for (X509Certificate c : chain) if (c.getNotBefore().toInstant().isAfter(t)) t = c.getNotBefore().toInstant();
        return t.plusSeconds(1);
    }

    private static Instant earliestEnd(List<X509Certificate> chain) {
        Instant t = Instant.MAX;
        for (X509Certificate c : chain) if (c.getNotAfter().toInstant().isBefore(t)) t = c.getNotAfter().toInstant();
        return t;
    }

    private static String which(X509Certificate c, X509Certificate leaf) {
        return c == leaf ? "a certificate" : "the intermediate '" + name(c) + "'";
    }

    private static String name(X509Certificate c) { return name(c.getSubjectX500Principal()); }

    /** The common name, as people call a CA; the whole name when it has none. */
    private static String name(X500Principal p) {
        String cn = CertificateInfo.rdn(p.getName(), "CN");
        return cn.isEmpty() ? p.getName() : cn;
    }

    static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) return false;
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

package dev.certops.estate;

import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.ChainCheck;
import dev.certops.crypto.ChainReport;
import dev.certops.scan.ClientTrust;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an estate service has learnt about each distinct served chain, kept across scans: its
 * analysis (order, completeness, the leaf's facts: no clock involved) per chain digest, and whether a
 * client can build a path to a trusted root (PKIX path building and its signature checks, about 3 ms
 * of CPU per chain) per chain digest, trust anchors and hour. A fleet serving the same few chains
 * builds each path once an hour, not once per endpoint per scan. Nothing that depends on the
 * endpoint (its name, certops' own revocations) or on the minute (expiry, not yet valid, the CRL,
 * which has its own cache) is kept here: those are judged on every scan.
 */
final class ChainVerdicts {
    /** More distinct chains than this and the memory starts again (an estate has far fewer; discovery of a large range may not). */
    static final int MAX_CHAINS = 20_000;

    /** A chain's analysis: no clock, no trust anchors in it. */
    record Analysed(CertificateInfo leaf, ChainReport report) { }

    private record PathKey(String chain, String anchors, Instant hour) {
        // written out, as Endpoint's: a record's own are generated at run time by ObjectMethods' bootstrap on first use
        @Override public boolean equals(Object o) {
            return o instanceof PathKey k && chain.equals(k.chain) && anchors.equals(k.anchors) && hour.equals(k.hour);
        }

        @Override public int hashCode() { return (chain.hashCode() * 31 + anchors.hashCode()) * 31 + hour.hashCode(); }
    }

    private final Map<String, Analysed> analysed = new ConcurrentHashMap<>();
    private final Map<PathKey, Optional<Finding>> paths = new ConcurrentHashMap<>();

    /** The chain's analysis, computed once per distinct chain. */
    Analysed analyse(List<X509Certificate> chain) {
        if (analysed.size() > MAX_CHAINS) analysed.clear();
        return analysed.computeIfAbsent(digest(chain), d -> new Analysed(CertificateInfo.from(chain.get(0)), ChainCheck.analyze(chain)));
    }

    /** Path-building verdicts remembered per chain as served, trust anchors ({@link ClientTrust#digest}) and hour. */
    ClientVerdict.Paths paths() {
        return (served, trust, at, build) -> {
            if (paths.size() > MAX_CHAINS) paths.clear();
            return paths.computeIfAbsent(new PathKey(digest(served), trust.digest(), at.truncatedTo(ChronoUnit.HOURS)), k -> build.get());
        };
    }

    /** How many path verdicts are remembered (tests, benchmarks). */
    int pathsKnown() { return paths.size(); }

    /** SHA-256 over the chain's certificates as served, in order. */
    static String digest(List<X509Certificate> chain) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (X509Certificate c : chain) {
                byte[] der = c.getEncoded();
                md.update((byte) (der.length >>> 16));
                md.update((byte) (der.length >>> 8));
                md.update((byte) der.length);
                md.update(der);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("a served certificate cannot be encoded again: " + e.getMessage(), e);
        }
    }
}

package dev.certops.scan;

import dev.certops.crypto.TrustAnchors;
import dev.certops.startup.OncePerProcess;
import dev.certops.words.Causes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The roots a TLS client of this estate trusts: Java's default trust store plus the PEM files of
 * certops.yaml's top-level {@code trust:} (an internal CA's roots). The scan's client verdict
 * builds paths to these and nothing else.
 */
public final class ClientTrust {
    /** Java's trust store as anchors, subjects and one digest: built once per process (Java's roots are read once per process). */
    private static final OncePerProcess<Roots> JAVA = new OncePerProcess<>("Java's trust store", () -> new Roots(javaRoots(), false));

    private final Set<TrustAnchor> anchors;
    private final String digest;
    private final Set<X500Principal> subjects;
    private final Set<X509Certificate> certificates;

    /** A list of roots as a trust needs them. */
    private static final class Roots {
        final Set<TrustAnchor> anchors = new LinkedHashSet<>();
        final Set<X500Principal> subjects = new LinkedHashSet<>();
        final Set<X509Certificate> certificates = new LinkedHashSet<>();
        final byte[] digest;

        /**
         * @param digested whether the digest covers the roots; Java's are read once per process and never change in it, so
         *                 they need none (a digest only tells trusts apart within a process: ChainVerdicts' memory), and
         *                 hashing ~150 certificates in a fresh JVM's cold SHA-256 code was CPU for nothing
         */
        Roots(List<X509Certificate> roots, boolean digested) {
            for (X509Certificate c : roots) {
                anchors.add(new TrustAnchor(c, null));
                subjects.add(c.getSubjectX500Principal());
                certificates.add(c);
            }
            if (!digested) {
                digest = new byte[0];
                return;
            }
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (X509Certificate c : roots) md.update(c.getEncoded());
                digest = md.digest();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("a trust anchor cannot be encoded: " + e.getMessage(), e);
            }
        }
    }

    /** Java's roots, then {@code extra}; the digest covers {@code extra} (Java's are the same in the whole process). */
    private ClientTrust(Roots java, List<X509Certificate> extra) {
        Roots more = new Roots(extra, true);
        Set<TrustAnchor> a = new LinkedHashSet<>(java.anchors);
        a.addAll(more.anchors);
        this.anchors = Set.copyOf(a);
        this.subjects = new LinkedHashSet<>(java.subjects);
        subjects.addAll(more.subjects);
        this.certificates = new LinkedHashSet<>(java.certificates);
        certificates.addAll(more.certificates);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(java.digest);
            md.update(more.digest);
            this.digest = HexFormat.of().formatHex(md.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java: " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 over the {@code trust:} files' anchors, beside Java's (the same in the whole process): two trusts of this
     * process with the same digest judge every chain alike (verdicts may be remembered by it).
     */
    public String digest() { return digest; }

    /** Java's trust store alone. */
    public static ClientTrust javaDefault() { return new ClientTrust(java(), List.of()); }

    /** Java's trust store plus {@code roots} (tests, a PKI built in memory). */
    public static ClientTrust with(Collection<X509Certificate> roots) {
        return new ClientTrust(java(), List.copyOf(roots));
    }

    /**
     * Reads Java's trust store and prepares it as anchors here, now (a head start's thread: the scan then finds it
     * ready); once per process, whoever comes first.
     */
    public static void prepareJavaRoots() { java(); }

    private static Roots java() { return JAVA.get(); }

    /** The certificates of one {@code trust:} file; the message names the file and what is wrong with it. */
    public static List<X509Certificate> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("trust: " + file + " cannot be used: it cannot be read (" + Causes.of(e)
                    + ") — fix the path in certops.yaml (relative paths are relative to the workspace)", e);
        }
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            if (certs.isEmpty()) throw new IOException("trust: " + file + " cannot be used: it holds no certificate — put the CA's root certificate (PEM) there");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : certs) out.add((X509Certificate) c);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException("trust: " + file + " cannot be used: it is not a PEM certificate file (" + e.getMessage() + ")", e);
        }
    }

    public Set<TrustAnchor> anchors() { return anchors; }

    /** Whether a trusted root has this subject (a chain ending below it is complete). */
    public boolean hasSubject(X500Principal subject) { return subjects.contains(subject); }

    /** Whether this very certificate is a trust anchor (a self-signed certificate someone chose to trust). */
    public boolean isAnchor(X509Certificate c) { return certificates.contains(c); }

    /**
     * Starts reading Java's trust store and preparing it as anchors on a daemon thread, so that it is ready when the
     * scan judges its first chain (it is read while certops.yaml is read and the servers answer).
     */
    public static void readJavaRootsAhead() { JAVA.ahead("certops-trust-store"); }

    private static List<X509Certificate> javaRoots() { return TrustAnchors.javaRoots(); }
}

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
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;

/**
 * The roots a TLS client of this estate trusts: Java's default trust store plus the PEM files of
 * certops.yaml's top-level {@code trust:} (an internal CA's roots). The scan's client verdict
 * builds paths to these and nothing else.
 */
public final class ClientTrust {
    /** Java's trust store as anchors, subjects and one digest: built once per process (Java's roots are read once per process). */
    private static final OncePerProcess<Roots> JAVA = new OncePerProcess<>("Java's trust store", () -> new Roots(javaRoots(), false));

    /** The {@code trust:} files' roots. */
    private final Roots own;
    /** Whether Java's roots are trusted too (read once per process, when a question needs them). */
    private final boolean withJava;
    /** Java's roots: the process's ({@link #JAVA}), or a test's. */
    private final Supplier<Roots> javaRoots;
    private final String digest;
    /** Java's anchors and the own ones together, made on first use. */
    private volatile Set<TrustAnchor> allAnchors;

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

    /**
     * The {@code trust:} files' roots, and Java's when {@code withJava}. Java's trust store is not read here: only a
     * question the own roots cannot answer reads it (a scan of an estate served by an internal CA never does).
     */
    private ClientTrust(Roots own, boolean withJava, Supplier<Roots> javaRoots) {
        this.own = own;
        this.withJava = withJava;
        this.javaRoots = javaRoots;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((byte) (withJava ? 1 : 0));   // Java's roots are the same in the whole process: whether they count is enough
            md.update(own.digest);
            this.digest = HexFormat.of().formatHex(md.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java: " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 over the {@code trust:} files' anchors and whether Java's count (the same in the whole process): two trusts
     * of this process with the same digest judge every chain alike (verdicts may be remembered by it).
     */
    public String digest() { return digest; }

    /** Java's trust store alone. */
    public static ClientTrust javaDefault() { return with(List.of()); }

    /** Java's trust store plus {@code roots} (the {@code trust:} files; tests, a PKI built in memory). */
    public static ClientTrust with(Collection<X509Certificate> roots) {
        return new ClientTrust(new Roots(List.copyOf(roots), true), true, ClientTrust::java);
    }

    /**
     * {@code roots} plus, in place of Java's trust store, what {@code javaRoots} gives, asked at most once and only when a
     * question needs it (tests: whether a verdict read Java's roots at all).
     */
    public static ClientTrust withJavaFrom(Collection<X509Certificate> roots, Supplier<List<X509Certificate>> javaRoots) {
        OncePerProcess<Roots> once = new OncePerProcess<>("a test's roots", () -> new Roots(javaRoots.get(), false));
        return new ClientTrust(new Roots(List.copyOf(roots), true), true, once::get);
    }

    /**
     * The {@code trust:} files' roots alone, when Java's count too and there are own ones: a path to one of them is a path
     * whatever else a client trusts (more anchors never undo a path), so a chain of an internal CA is judged trusted
     * without reading Java's trust store. What that trust does not find trusted must be asked of this one again.
     */
    public Optional<ClientTrust> ownRootsOnly() {
        return withJava && !own.certificates.isEmpty() ? Optional.of(new ClientTrust(own, false, javaRoots)) : Optional.empty();
    }

    /** Whether there are roots of the {@code trust:} files. */
    public boolean hasOwnRoots() { return !own.certificates.isEmpty(); }

    /**
     * Whether judging this chain as served may need Java's roots: its last certificate is neither one of the {@code trust:}
     * files' roots nor issued by one (a hint for reading Java's roots early; the verdict itself asks what it needs).
     */
    public boolean mayNeedJava(List<X509Certificate> served) {
        if (!withJava) return false;
        if (served.isEmpty()) return true;
        X509Certificate top = served.get(served.size() - 1);
        return !own.certificates.contains(top) && !own.subjects.contains(top.getIssuerX500Principal());
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

    /** Every anchor (Java's read now if they count and were not read yet). */
    public Set<TrustAnchor> anchors() {
        if (!withJava) return own.anchors;
        Set<TrustAnchor> a = allAnchors;
        if (a == null) {
            Set<TrustAnchor> both = new LinkedHashSet<>(javaRoots.get().anchors);
            both.addAll(own.anchors);
            allAnchors = a = Set.copyOf(both);
        }
        return a;
    }

    /** Whether a trusted root has this subject (a chain ending below it is complete). */
    public boolean hasSubject(X500Principal subject) {
        return own.subjects.contains(subject) || withJava && javaRoots.get().subjects.contains(subject);
    }

    /** Whether this very certificate is a trust anchor (a self-signed certificate someone chose to trust). */
    public boolean isAnchor(X509Certificate c) {
        return own.certificates.contains(c) || withJava && javaRoots.get().certificates.contains(c);
    }

    /**
     * Starts reading Java's trust store and preparing it as anchors on a daemon thread, so that it is ready when the
     * scan judges its first chain (it is read while certops.yaml is read and the servers answer).
     */
    public static void readJavaRootsAhead() { JAVA.ahead("certops-trust-store"); }

    private static List<X509Certificate> javaRoots() { return TrustAnchors.javaRoots(); }
}

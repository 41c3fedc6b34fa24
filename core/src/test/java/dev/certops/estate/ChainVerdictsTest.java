package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.TrustAnchors;
import dev.certops.scan.ClientTrust;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a scan remembers about a chain across scans, and what it judges again every time. */
class ChainVerdictsTest {
    static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    static final CertificateBuilder.Issued ROOT = CertificateBuilder.ca("Cache Root").validity(NOW.minus(Duration.ofDays(400)), NOW.plus(Duration.ofDays(4000))).build();
    static final CertificateBuilder.Issued LEAF = CertificateBuilder.leaf("cache.example.test").signedBy(ROOT)
            .validity(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofHours(2))).build();
    static final List<X509Certificate> CHAIN = List.of(LEAF.certificate(), ROOT.certificate());

    /** Counts the path buildings that really happen behind the remembered verdicts. */
    private static ClientVerdict.Paths counting(ClientVerdict.Paths inner, AtomicInteger built) {
        return (served, trust, at, build) -> inner.built(served, trust, at, () -> {
            built.incrementAndGet();
            return build.get();
        });
    }

    @Test
    void aChainServedByManyEndpointsOverManyScansIsPathBuiltOncePerHour() {
        ChainVerdicts verdicts = new ChainVerdicts();
        ClientTrust trust = ClientTrust.with(List.of(ROOT.certificate()));
        AtomicInteger built = new AtomicInteger();
        for (int scan = 0; scan < 3; scan++) {
            ClientVerdict.Paths paths = counting(verdicts.paths(), built);
            for (int endpoint = 0; endpoint < 20; endpoint++) {
                var a = verdicts.analyse(CHAIN);
                assertThat(ClientVerdict.of(CHAIN, a.report(), trust, NOW.plusSeconds(scan * 60L), paths).findings()).isEmpty();
            }
        }
        assertThat(built).hasValue(1);
        assertThat(verdicts.pathsKnown()).isEqualTo(1);
    }

    @Test
    void otherTrustAnchorsOrAnotherHourBuildThePathAgain() {
        ChainVerdicts verdicts = new ChainVerdicts();
        AtomicInteger built = new AtomicInteger();
        var a = verdicts.analyse(CHAIN);
        ClientVerdict.Paths withRoot = counting(verdicts.paths(), built);
        ClientVerdict.Paths javaOnly = counting(verdicts.paths(), built);
        assertThat(ClientVerdict.of(CHAIN, a.report(), ClientTrust.with(List.of(ROOT.certificate())), NOW, withRoot).findings()).isEmpty();
        assertThat(ClientVerdict.of(CHAIN, a.report(), ClientTrust.javaDefault(), NOW, javaOnly).findings())
                .extracting(Finding::code).containsExactly("untrusted");
        ClientVerdict.of(CHAIN, a.report(), ClientTrust.with(List.of(ROOT.certificate())), NOW.plus(Duration.ofMinutes(61)), withRoot);
        assertThat(built).hasValue(3);
    }

    @Test
    void aChainEndingAtATrustFilesRootIsJudgedWithoutReadingJavasRoots() {
        ChainVerdicts verdicts = new ChainVerdicts();
        AtomicInteger javaReads = new AtomicInteger();
        ClientTrust trust = ClientTrust.withJavaFrom(List.of(ROOT.certificate()), () -> {
            javaReads.incrementAndGet();
            return TrustAnchors.javaRoots();
        });
        var a = verdicts.analyse(CHAIN);
        assertThat(ClientVerdict.of(CHAIN, a.report(), trust, NOW, verdicts.paths()).findings()).isEmpty();
        assertThat(trust.mayNeedJava(CHAIN)).isFalse();
        assertThat(javaReads).as("a path to the trust: file's root needs no other").hasValue(0);

        // a chain of another CA: only Java's roots can tell, so they are read (once) and the verdict is theirs
        CertificateBuilder.Issued otherRoot = CertificateBuilder.ca("Another Root").validity(NOW.minus(Duration.ofDays(400)), NOW.plus(Duration.ofDays(4000))).build();
        CertificateBuilder.Issued otherLeaf = CertificateBuilder.leaf("other.example.com").signedBy(otherRoot)
                .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30))).build();
        List<X509Certificate> other = List.of(otherLeaf.certificate(), otherRoot.certificate());
        assertThat(trust.mayNeedJava(other)).isTrue();
        var b = verdicts.analyse(other);
        assertThat(ClientVerdict.of(other, b.report(), trust, NOW, verdicts.paths()).findings())
                .extracting(Finding::code).containsExactly("untrusted");
        assertThat(javaReads).hasValue(1);

        // one of Java's own roots served as it is: self-signed, yet an anchor of every Java client (read from Java's roots)
        X509Certificate javaRoot = TrustAnchors.javaRoots().stream()
                .filter(r -> r.getNotBefore().toInstant().isBefore(NOW) && r.getNotAfter().toInstant().isAfter(NOW)).findFirst().orElseThrow();
        var c = verdicts.analyse(List.of(javaRoot));
        assertThat(ClientVerdict.of(List.of(javaRoot), c.report(), trust, NOW, verdicts.paths()).findings())
                .extracting(Finding::code).doesNotContain("self-signed", "untrusted");
        assertThat(javaReads).hasValue(1);
    }

    @Test
    void expiryIsJudgedOnEveryScanEvenWhenThePathIsRemembered() {
        ChainVerdicts verdicts = new ChainVerdicts();
        ClientTrust trust = ClientTrust.with(List.of(ROOT.certificate()));
        ClientVerdict.Paths paths = verdicts.paths();
        var a = verdicts.analyse(CHAIN);
        assertThat(ClientVerdict.of(CHAIN, a.report(), trust, NOW, paths).findings()).isEmpty();
        // the leaf expires at NOW + 2 h, within the remembered hour's reach of the next scans
        assertThat(ClientVerdict.of(CHAIN, a.report(), trust, NOW.plus(Duration.ofHours(2)), paths).findings())
                .extracting(Finding::code).containsExactly("expired");
    }

    @Test
    void theSameCertificatesInAnotherOrderAreAnotherChain() {
        assertThat(ChainVerdicts.digest(CHAIN)).isNotEqualTo(ChainVerdicts.digest(List.of(ROOT.certificate(), LEAF.certificate())));
        assertThat(ChainVerdicts.digest(CHAIN)).isEqualTo(ChainVerdicts.digest(List.of(LEAF.certificate(), ROOT.certificate())));
        assertThat(Optional.of(ChainVerdicts.digest(CHAIN))).get().asString().hasSize(64);
    }
}

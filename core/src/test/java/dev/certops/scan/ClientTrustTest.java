package dev.certops.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.TrustAnchors;
import java.security.cert.TrustAnchor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The roots a scan's client trusts: Java's trust store, prepared once per process, plus the trust: files. */
class ClientTrustTest {
    static final CertificateBuilder.Issued INTERNAL = CertificateBuilder.ca("Internal Root").build();
    static final CertificateBuilder.Issued OTHER = CertificateBuilder.ca("Other Root").build();

    @Test
    void aTrustFilesRootIsTrustedBesideEveryRootOfJavasTrustStore() {
        ClientTrust.prepareJavaRoots();
        ClientTrust trust = ClientTrust.with(List.of(INTERNAL.certificate()));
        assertThat(trust.anchors()).extracting(TrustAnchor::getTrustedCert)
                .containsAll(TrustAnchors.javaRoots()).contains(INTERNAL.certificate())
                .hasSize(TrustAnchors.javaRoots().size() + 1);
        assertThat(trust.isAnchor(INTERNAL.certificate())).isTrue();
        assertThat(trust.hasSubject(INTERNAL.certificate().getSubjectX500Principal())).isTrue();
        assertThat(trust.hasSubject(TrustAnchors.javaRoots().get(0).getSubjectX500Principal())).isTrue();
        assertThat(trust.hasSubject(OTHER.certificate().getSubjectX500Principal())).isFalse();
    }

    @Test
    void onlyAChainThatDoesNotEndAtATrustFilesRootMayNeedJavasRoots() {
        CertificateBuilder.Issued leaf = CertificateBuilder.leaf("www.example.test").signedBy(INTERNAL).build();
        CertificateBuilder.Issued stranger = CertificateBuilder.leaf("www.example.test").signedBy(OTHER).build();
        ClientTrust trust = ClientTrust.with(List.of(INTERNAL.certificate()));
        assertThat(trust.mayNeedJava(List.of(leaf.certificate()))).as("issued by the trust: file's root").isFalse();
        assertThat(trust.mayNeedJava(List.of(leaf.certificate(), INTERNAL.certificate()))).as("ending at it").isFalse();
        assertThat(trust.mayNeedJava(List.of(stranger.certificate()))).isTrue();
        assertThat(trust.ownRootsOnly()).hasValueSatisfying(own -> {
            assertThat(own.anchors()).extracting(TrustAnchor::getTrustedCert).containsExactly(INTERNAL.certificate());
            assertThat(own.digest()).as("remembered apart from the whole trust's verdicts").isNotEqualTo(trust.digest());
            assertThat(own.mayNeedJava(List.of(stranger.certificate()))).isFalse();
        });
        assertThat(ClientTrust.javaDefault().ownRootsOnly()).isEmpty();
    }

    @Test
    void javasTrustAloneTrustsNoInternalRoot() {
        ClientTrust trust = ClientTrust.javaDefault();
        assertThat(trust.anchors()).hasSize(TrustAnchors.javaRoots().size());
        assertThat(trust.isAnchor(INTERNAL.certificate())).isFalse();
        assertThat(ClientTrust.with(List.of(INTERNAL.certificate())).isAnchor(INTERNAL.certificate())).isTrue();
    }

    @Test
    void theSameRootsHaveTheSameDigestAndOtherRootsAnother() {
        String internal = ClientTrust.with(List.of(INTERNAL.certificate())).digest();
        assertThat(ClientTrust.with(List.of(INTERNAL.certificate())).digest()).isEqualTo(internal);
        assertThat(ClientTrust.with(List.of(OTHER.certificate())).digest()).isNotEqualTo(internal);
        assertThat(ClientTrust.javaDefault().digest()).isNotEqualTo(internal).isEqualTo(ClientTrust.with(List.of()).digest());
        assertThat(ClientTrust.with(List.of(INTERNAL.certificate(), OTHER.certificate())).digest()).isNotEqualTo(internal);
    }
}

package dev.certops.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainAndNamesTest {
    private final CertificateBuilder.Issued root = CertificateBuilder.ca("Test Root").build();
    private final CertificateBuilder.Issued inter = CertificateBuilder.ca("Test Intermediate").signedBy(root).build();
    private final CertificateBuilder.Issued leaf = CertificateBuilder.leaf("api.example.com").signedBy(inter).build();

    @Test
    void anOrderedChainIsComplete() {
        ChainReport r = ChainCheck.analyze(List.of(leaf.certificate(), inter.certificate()));
        assertThat(r.complete()).isTrue();
        assertThat(r.leaf()).isEqualTo(leaf.certificate());
    }

    @Test
    void aReversedChainIsReorderedAndFlagged() {
        ChainReport r = ChainCheck.analyze(List.of(inter.certificate(), leaf.certificate()));
        assertThat(r.wrongOrder()).isTrue();
        assertThat(r.ordered()).containsExactly(leaf.certificate(), inter.certificate());
        assertThat(r.problems()).anyMatch(p -> p.contains("out of order"));
    }

    @Test
    void aLeafServedWithoutItsIntermediateNamesTheMissingIssuer() {
        ChainReport r = ChainCheck.analyze(List.of(leaf.certificate()));
        assertThat(r.missingIntermediate()).isTrue();
        assertThat(r.missingIssuer()).hasValueSatisfying(s -> assertThat(s).contains("Test Intermediate"));
    }

    @Test
    void aSelfSignedLeafIsItsOwnChain() {
        CertificateBuilder.Issued self = CertificateBuilder.leaf("self.example.com").build();
        CertificateInfo info = CertificateInfo.from(self.certificate());
        assertThat(info.selfSigned()).isTrue();
        assertThat(ChainCheck.analyze(List.of(self.certificate())).complete()).isTrue();
    }

    @Test
    void infoReadsNamesIssuerSerialKeyAndDaysLeft() {
        Instant now = Instant.now();
        CertificateBuilder.Issued c = CertificateBuilder.leaf("a.example.com", "b.example.com").key(KeyType.RSA_2048)
                .validity(now.minusSeconds(86_400), now.plusSeconds(10 * 86_400 + 60)).signedBy(inter).build();
        CertificateInfo info = CertificateInfo.from(c.certificate());
        assertThat(info.sans()).containsExactly("a.example.com", "b.example.com");
        assertThat(info.issuerCn()).isEqualTo("Test Intermediate");
        assertThat(info.keyDescription()).isEqualTo("RSA 2048");
        assertThat(info.daysLeft(now)).isEqualTo(10);
        assertThat(info.serial()).isEqualTo(c.certificate().getSerialNumber().toString(16));
        assertThat(info.authorityKeyId()).isNotEmpty();
    }

    @Test
    void wildcardCoversExactlyOneLabel() {
        assertThat(NameMatch.covers("*.example.com", "api.example.com")).isTrue();
        assertThat(NameMatch.covers("*.example.com", "example.com")).isFalse();
        assertThat(NameMatch.covers("*.example.com", "a.b.example.com")).isFalse();
        assertThat(NameMatch.covers("API.Example.com", "api.example.COM")).isTrue();
        assertThat(NameMatch.covers("xn--bcher-kva.example", "bücher.example")).isTrue();
        assertThat(NameMatch.covers(List.of("a.example.com", "b.example.com"), "b.example.com")).isTrue();
    }
}

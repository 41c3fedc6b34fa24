package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegisteredDomainsTest {

    @Test
    void aNameUnderCoUkBelongsToTheDomainBoughtUnderCoUk() {
        assertThat(RegisteredDomains.of("new.blog.example.co.uk")).isEqualTo("example.co.uk");
    }

    @Test
    void eachGithubIoSiteIsItsOwnRegisteredDomainBecauseTheCaUsesThePrivateSection() {
        assertThat(RegisteredDomains.of("a.b.alice.github.io")).isEqualTo("alice.github.io");
        assertThat(RegisteredDomains.of("bob.github.io")).isEqualTo("bob.github.io");
    }

    @Test
    void aPunycodeNameAndItsUnicodeFormAreTheSameRegisteredDomain() {
        assertThat(RegisteredDomains.of("www.bücher.de")).isEqualTo("xn--bcher-kva.de");
        assertThat(RegisteredDomains.of("shop.xn--bcher-kva.de")).isEqualTo("xn--bcher-kva.de");
    }

    @Test
    void aNameUnderAnIdnPublicSuffixKeepsOneLabelBelowIt() {
        assertThat(RegisteredDomains.of("a.b.c.xn--p1ai")).isEqualTo("c.xn--p1ai");
        assertThat(RegisteredDomains.of("www.пример.рф")).isEqualTo("xn--e1afmkfd.xn--p1ai");
    }

    @Test
    void aWildcardCountsForTheDomainItCovers() {
        assertThat(RegisteredDomains.of("*.api.example.com")).isEqualTo("example.com");
    }

    @Test
    void aNameUnderNoKnownSuffixIsItsOwnRegisteredDomain() {
        assertThat(RegisteredDomains.of("web.certops.test")).isEqualTo("web.certops.test");
    }

    @Test
    void namesAreComparedCaseInsensitivelyWithoutTrailingDot() {
        assertThat(RegisteredDomains.of("WWW.Example.COM.")).isEqualTo("example.com");
    }

    @Test
    void aCertificateSpanningTwoRegisteredDomainsCountsForEach() {
        assertThat(RegisteredDomains.of(List.of("a.example.com", "b.example.com", "example.org")))
                .containsExactly("example.com", "example.org");
    }

    @Test
    void anExactSetIgnoresOrderCaseDuplicatesAndScript() {
        assertThat(NameSet.of(List.of("WWW.example.com", "bücher.de", "www.example.com")).key())
                .isEqualTo(NameSet.of(List.of("xn--bcher-kva.de", "www.example.com")).key())
                .isEqualTo("www.example.com,xn--bcher-kva.de");
    }

    @Test
    void aWildcardAndItsBaseNameAreDifferentIdentifiersInAnExactSet() {
        assertThat(NameSet.of(List.of("*.example.com")).key()).isNotEqualTo(NameSet.of(List.of("example.com")).key());
    }
}

package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import dev.certops.testing.BindFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 2136 updates signed with TSIG, against a real BIND 9 started by the test. */
class Rfc2136ProviderTest {
    @TempDir static Path dir;
    static BindFixture bind;

    @BeforeAll static void start() throws Exception {
        bind = BindFixture.start(dir, "example.test", List.of());
    }

    @AfterAll static void stop() { if (bind != null) bind.close(); }

    private static DnsProvider provider(Map<String, String> extra, String secret) throws DnsProviderException {
        Map<String, String> s = new HashMap<>(Map.of("server", bind.hostPort(), "tsigKeyName", BindFixture.KEY_NAME,
                "tsigSecret", "secret:tsig"));
        s.putAll(extra);
        return DnsProviders.build(new DnsConfig("bind", "rfc2136", s, 4), n -> secret.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void addsTheRecordAndRemovesItOnCleanUp() throws Exception {
        DnsProvider p = provider(Map.of("zone", "example.test"), bind.tsigSecret());
        String fqdn = "_acme-challenge.www.example.test.";

        p.present(fqdn, "digest-a");
        assertThat(Txt.at(bind.hostPort(), fqdn)).containsExactly("digest-a");

        p.cleanUp(fqdn, "digest-a");
        assertThat(Txt.at(bind.hostPort(), fqdn)).isEmpty();
    }

    @Test
    void cleanUpRemovesOnlyItsOwnValue() throws Exception {
        DnsProvider p = provider(Map.of("zone", "example.test"), bind.tsigSecret());
        String fqdn = "_acme-challenge.both.example.test.";
        p.present(fqdn, "for-name");
        p.present(fqdn, "for-wildcard");

        p.cleanUp(fqdn, "for-name");

        assertThat(Txt.at(bind.hostPort(), fqdn)).containsExactly("for-wildcard");
    }

    @Test
    void findsTheZoneBySoaWhenNotConfigured() throws Exception {
        DnsProvider p = provider(Map.of(), bind.tsigSecret());
        String fqdn = "_acme-challenge.deep.sub.example.test.";

        p.present(fqdn, "found-zone");

        assertThat(Txt.at(bind.hostPort(), fqdn)).containsExactly("found-zone");
    }

    @Test
    void wrongSecretIsRefusedWithTheTsigError() throws Exception {
        DnsProvider p = provider(Map.of("zone", "example.test"), "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktISE=");

        assertThatThrownBy(() -> p.present("_acme-challenge.bad.example.test.", "v"))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("rfc2136: " )
                .hasMessageContaining("refused to add TXT at _acme-challenge.bad.example.test.: NOTAUTH, TSIG BADSIG")
                .hasMessageNotContaining("d3Jvbmc");
    }

    @Test
    void nameOutsideTheConfiguredZoneIsRejected() throws Exception {
        DnsProvider p = provider(Map.of("zone", "example.test"), bind.tsigSecret());

        assertThatThrownBy(() -> p.present("_acme-challenge.other.test.", "v"))
                .hasMessageStartingWith("rfc2136: _acme-challenge.other.test. is not inside the configured zone example.test.");
    }

    @Test
    void authoritativePropagationCheckSeesTheUpdate() throws Exception {
        DnsProvider p = provider(Map.of(), bind.tsigSecret());
        String fqdn = "_acme-challenge.auth.example.test.";
        p.present(fqdn, "authoritative-value");

        PropagationChecker.authoritative(Resolvers.of(List.of(bind.hostPort())), Clock.systemUTC(), bind.port())
                .awaitTxt(fqdn, "authoritative-value", Duration.ofSeconds(10));

        assertThat(Txt.at(bind.hostPort(), fqdn)).contains("authoritative-value");
    }

    @Test
    void authoritativePropagationTimeoutNamesTheNameserver() {
        PropagationChecker checker = PropagationChecker.authoritative(Resolvers.of(List.of(bind.hostPort())), Clock.systemUTC(), bind.port());

        assertThatThrownBy(() -> checker.awaitTxt("_acme-challenge.missing.example.test.", "x", Duration.ofMillis(300)))
                .isInstanceOf(PropagationTimeoutException.class)
                .hasMessageContaining("was not visible on every authoritative server of zone example.test. within 300ms")
                .hasMessageContaining("ns1.example.test. (127.0.0.1:" + bind.port() + ") still answers no TXT record (NXDOMAIN)");
    }
}

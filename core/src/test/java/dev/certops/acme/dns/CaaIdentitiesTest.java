package dev.certops.acme.dns;

import dev.certops.config.CaConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CaaIdentitiesTest {
    private static CaConfig ca(String directory, Optional<String> caaIdentity) {
        return new CaConfig("ca", URI.create(directory), Optional.empty(), Optional.empty(), Optional.empty(), true,
                Optional.empty(), "none", Map.of(), caaIdentity);
    }

    @Test
    void zeroSslDirectoryMapsToSectigo() {
        assertThat(CaaIdentities.of(ca("https://acme.zerossl.com/v2/DV90", Optional.empty()))).contains("sectigo.com");
    }

    @Test
    void letsEncryptStagingMapsToLetsEncrypt() {
        assertThat(CaaIdentities.of(ca("https://acme-staging-v02.api.letsencrypt.org/directory", Optional.empty())))
                .contains("letsencrypt.org");
    }

    @Test
    void configuredIdentityWinsOverTheTable() {
        assertThat(CaaIdentities.of(ca("https://acme-v02.api.letsencrypt.org/directory", Optional.of("example-ca.test"))))
                .contains("example-ca.test");
    }

    @Test
    void unknownDirectoryHasNoIdentity() {
        assertThat(CaaIdentities.of(ca("https://127.0.0.1:14000/dir", Optional.empty()))).isEmpty();
    }
}

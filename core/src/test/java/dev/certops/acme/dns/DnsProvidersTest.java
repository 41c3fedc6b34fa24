package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings are checked once, when a provider is built; errors start with the type and name the key. */
class DnsProvidersTest {
    private static final String KEY = "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdGluZy0xMjM=";

    private static Map<String, String> rfc2136(String... overrides) {
        Map<String, String> m = new HashMap<>(Map.of("server", "127.0.0.1:53", "tsigKeyName", "certops",
                "tsigSecret", "secret:tsig-lab"));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) m.remove(overrides[i]); else m.put(overrides[i], overrides[i + 1]);
        }
        return m;
    }

    private static DnsProvider build(String type, Map<String, String> settings) throws DnsProviderException {
        return DnsProviders.build(new DnsConfig("lab", type, settings, 12),
                name -> name.equals("tsig-lab") ? KEY.getBytes(StandardCharsets.US_ASCII) : null);
    }

    @Test
    void missingTsigSecretIsNamedWithAnExample() {
        assertThatThrownBy(() -> build("rfc2136", rfc2136("tsigSecret", null)))
                .isInstanceOf(DnsProviderException.class)
                .hasMessage("rfc2136: key 'tsigSecret' is required; for example tsigSecret: secret:tsig-lab (dns provider 'lab', certops.yaml line 12)");
    }

    @Test
    void literalTsigSecretIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> build("rfc2136", rfc2136("tsigSecret", KEY)))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("rfc2136: key 'tsigSecret' must be a secret reference such as 'secret:tsig-lab'")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void missingSecretFileIsReported() {
        assertThatThrownBy(() -> build("rfc2136", rfc2136("tsigSecret", "secret:nope")))
                .hasMessageStartingWith("rfc2136: secret 'nope' named by key 'tsigSecret' does not exist; create secrets/nope");
    }

    @Test
    void unknownTsigAlgorithmListsTheSupportedOnes() {
        assertThatThrownBy(() -> build("rfc2136", rfc2136("tsigAlgorithm", "hmac-md5")))
                .hasMessageStartingWith("rfc2136: key 'tsigAlgorithm' has 'hmac-md5'; use one of hmac-sha1, hmac-sha224, hmac-sha256");
    }

    @Test
    void misspelledKeyIsRejectedWithTheKnownKeys() {
        assertThatThrownBy(() -> build("rfc2136", rfc2136("tsigkey", "x")))
                .hasMessageStartingWith("rfc2136: unknown key 'tsigkey'; the keys for this type are")
                .hasMessageContaining("tsigKeyName");
    }

    @Test
    void badServerSaysWhatToWrite() {
        assertThatThrownBy(() -> build("rfc2136", rfc2136("server", "127.0.0.1:port")))
                .hasMessageStartingWith("rfc2136: key 'server' has '127.0.0.1:port', which is not host:port");
    }

    @Test
    void toStringNeverShowsTheTsigSecret() throws Exception {
        assertThat(build("rfc2136", rfc2136()).toString()).doesNotContain(KEY).contains("key=certops.");
    }

    @Test
    void challtestsrvNeedsItsUrl() {
        assertThatThrownBy(() -> build("challtestsrv", Map.of()))
                .hasMessageStartingWith("challtestsrv: key 'url' is required; for example url: http://127.0.0.1:8055");
    }

    @Test
    void propagationSettingsHaveDefaultsAndCanBeSet() throws Exception {
        PropagationSettings dflt = (PropagationSettings) build("challtestsrv", Map.of("url", "http://127.0.0.1:8055"));
        PropagationSettings set = (PropagationSettings) build("challtestsrv",
                Map.of("url", "http://127.0.0.1:8055", "propagationTimeout", "5m", "pollInterval", "500ms"));

        assertThat(dflt.propagationTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(set.propagationTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(set.pollInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void badDurationSaysHowToWriteOne() {
        assertThatThrownBy(() -> build("challtestsrv", Map.of("url", "http://127.0.0.1:8055", "pollInterval", "soon")))
                .hasMessageStartingWith("challtestsrv: key 'pollInterval' has 'soon', which is not a positive duration; write a number with a unit");
    }

    @Test
    void unknownTypeListsTheKnownTypes() {
        assertThatThrownBy(() -> build("bogus", Map.of()))
                .hasMessage("dns provider 'lab' (certops.yaml line 12): unknown type 'bogus'; use one of " + String.join(", ", DnsConfig.TYPES));
    }
}

package dev.certops.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.CaConfig;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitTableTest {
    private static CaConfig ca(String preset, Map<String, CaConfig.LimitOverride> overrides) {
        return new CaConfig("le", URI.create("https://acme-v02.api.letsencrypt.org/directory"), Optional.empty(), Optional.empty(),
                Optional.empty(), true, Optional.empty(), preset, overrides, Optional.empty());
    }

    @Test
    void theLetsEncryptPresetRecordsItsSourceAndDateAndTheTableValues() {
        RateLimitPresets.Preset le = RateLimitPresets.LETSENCRYPT;
        assertThat(le.source()).contains(URI.create("https://letsencrypt.org/docs/rate-limits/"));
        assertThat(le.takenOn()).contains(LocalDate.of(2025, 6, 12));
        assertThat(le.buckets().get(LimitKind.NEW_ORDERS_PER_ACCOUNT).window()).isEqualTo(Duration.ofHours(3));
        assertThat(le.buckets().get(LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN)).isEqualTo(new Bucket(50, Duration.ofMinutes(202)));
        assertThat(le.buckets().get(LimitKind.NEW_CERTS_PER_EXACT_SET)).isEqualTo(new Bucket(5, Duration.ofHours(34)));
        assertThat(le.buckets().get(LimitKind.AUTHZ_FAILURES_PER_IDENTIFIER).window()).isEqualTo(Duration.ofHours(1));
        assertThat(le.buckets().get(LimitKind.CONSECUTIVE_AUTHZ_FAILURES)).isEqualTo(new Bucket(1152, Duration.ofDays(1)));
        assertThat(le.buckets().get(LimitKind.NEW_ACCOUNTS_PER_IP).window()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void theStagingEndpointOfALetsEncryptEntryUsesTheStagingValues() {
        LimitTable t = LimitTable.from(List.of(ca("letsencrypt", Map.of())));
        assertThat(t.bucket("le", true, LimitKind.NEW_ORDERS_PER_ACCOUNT)).contains(new Bucket(1500, Duration.ofMillis(7200)));
        assertThat(t.bucket("le", true, LimitKind.NEW_CERTS_PER_EXACT_SET).orElseThrow().window()).isEqualTo(Duration.ofDays(7));
        assertThat(t.bucket("le", false, LimitKind.NEW_ORDERS_PER_ACCOUNT)).contains(new Bucket(300, Duration.ofSeconds(36)));
    }

    @Test
    void aCaEntryOverridesOneValueAndKeepsTheRest() {
        LimitTable t = LimitTable.from(List.of(ca("letsencrypt", Map.of(
                "newOrdersPerAccount", new CaConfig.LimitOverride(600, "1/18s"),
                "newCertificatesPerRegisteredDomain", new CaConfig.LimitOverride(100, null)))));
        assertThat(t.bucket("le", false, LimitKind.NEW_ORDERS_PER_ACCOUNT)).contains(new Bucket(600, Duration.ofSeconds(18)));
        assertThat(t.bucket("le", false, LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN)).contains(new Bucket(100, Duration.ofMinutes(202)));
        assertThat(t.bucket("le", false, LimitKind.NEW_CERTS_PER_EXACT_SET)).contains(new Bucket(5, Duration.ofHours(34)));
    }

    @Test
    void aCaWithTheNonePresetCanDefineItsOwnLimits() {
        LimitTable t = LimitTable.from(List.of(ca("none", Map.of("newOrdersPerAccount", new CaConfig.LimitOverride(100, "100/1h")))));
        assertThat(t.buckets("le", false)).containsOnlyKeys(LimitKind.NEW_ORDERS_PER_ACCOUNT);
    }

    @Test
    void anUnknownLimitNameIsRefusedWithTheValidNames() {
        assertThatThrownBy(() -> LimitTable.from(List.of(ca("letsencrypt", Map.of("ordersPerHour", new CaConfig.LimitOverride(1, "1/1h"))))))
                .hasMessageContaining("'le'").hasMessageContaining("ordersPerHour").hasMessageContaining("newOrdersPerAccount");
    }

    @Test
    void anUnknownPresetIsRefusedWithThePresetNames() {
        assertThatThrownBy(() -> LimitTable.from(List.of(ca("lets-encrypt", Map.of()))))
                .hasMessageContaining("lets-encrypt").hasMessageContaining("letsencrypt, letsencrypt-staging, none");
    }
}

package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalDetailsTest {
    private static final String PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oKB\n-----END EC PRIVATE KEY-----";

    @Test
    void keysAreSortedAtEveryLevelWithoutWhitespace() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", true);
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("names", List.of("b.example", "a.example"));
        outer.put("inner", inner);
        outer.put("at", Instant.parse("2026-01-02T03:04:05Z"));

        assertThat(CanonicalDetails.of(new NewEvent("k", "", "ok", outer)))
                .isEqualTo("{\"at\":\"2026-01-02T03:04:05Z\",\"inner\":{\"a\":true,\"z\":1},\"names\":[\"b.example\",\"a.example\"]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "accountPrivateKey", "private_key", "passphrase", "eabHmacKey", "clientSecret",
        "apiToken", "token", "API-KEY", "credentials"})
    void secretLookingKeyIsRefusedNamingTheKeyButNotTheValue(String key) {
        assertThatThrownBy(() -> CanonicalDetails.of(new NewEvent("acme.account.created", "", "ok", Map.of(key, "s3cr3t-value"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + key + "'")
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void secretLookingKeyNestedInAMapIsRefusedWithItsPath() {
        assertThatThrownBy(() -> CanonicalDetails.of(new NewEvent("dns.x", "", "ok", Map.of("provider", Map.of("apiKey", "k-123")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'provider.apiKey'")
                .hasMessageNotContaining("k-123");
    }

    @Test
    void pemPrivateKeyInAValueIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> CanonicalDetails.of(new NewEvent("crypto.x", "", "ok", Map.of("notes", List.of("fine", PEM)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'notes[1]'")
                .hasMessageNotContaining("MHcCAQEE");
    }

    @Test
    void pemPrivateKeyInTheSubjectIsRefused() {
        assertThatThrownBy(() -> CanonicalDetails.of(new NewEvent("crypto.x", PEM, "ok", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subject")
                .hasMessageNotContaining("MHcCAQEE");
    }

    @Test
    void referencesToKeysAreAccepted() {
        assertThat(CanonicalDetails.of(new NewEvent("acme.account.created", "", "ok",
                Map.of("keyId", "account-1", "keyFingerprint", "SHA256:abcd", "publicKey", "MFkw..."))))
                .contains("keyFingerprint");
    }

    @Test
    void valueHistoryCannotRecordIsRefusedWithWhatToPass() {
        assertThatThrownBy(() -> CanonicalDetails.of(new NewEvent("x", "", "ok", Map.of("thing", new Object()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'thing'")
                .hasMessageContaining("pass strings, numbers, booleans, lists or maps");
    }

    @Test
    void storeRefusesTheSecretBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        try (SqliteHistoryStore store = SqliteHistoryStore.open(dir.resolve("history.db"), "alice@laptop")) {
            assertThatThrownBy(() -> store.append(new NewEvent(EventKinds.ACME_ACCOUNT_CREATED, "", "ok",
                    Map.of("ca", "pebble", "eabHmacKey", "c2VjcmV0"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("eabHmacKey")
                    .hasMessageNotContaining("c2VjcmV0");
            assertThat(store.count()).isZero();
        }
    }
}

package dev.certops.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
    @TempDir Path dir;

    @Test
    void secretsAre0600InA0700Folder() throws Exception {
        SecretStore s = new SecretStore(dir.resolve("secrets"), Optional.empty());
        s.write("accounts/le.key", "k".getBytes());
        assertThat(Files.getPosixFilePermissions(dir.resolve("secrets/accounts/le.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("secrets"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(s.list()).containsExactly("accounts/le.key");
    }

    @Test
    void withAPassphraseTheFileDoesNotContainThePlaintext() throws Exception {
        SecretStore s = new SecretStore(dir, Optional.of("pass".toCharArray()));
        s.write("hmac", "very-secret-value".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(Files.readAllBytes(dir.resolve("hmac")), StandardCharsets.ISO_8859_1)).doesNotContain("very-secret-value").startsWith("CERTOPSENC1");
        assertThat(new String(s.read("hmac"), StandardCharsets.UTF_8)).isEqualTo("very-secret-value");
    }

    @Test
    void aWrongOrMissingPassphraseSaysWhatToSet() throws Exception {
        new SecretStore(dir, Optional.of("right".toCharArray())).write("k", "x".getBytes());
        assertThatThrownBy(() -> new SecretStore(dir, Optional.of("wrong".toCharArray())).read("k")).hasMessageContaining("different passphrase: set CERTOPS_PASSPHRASE");
        assertThatThrownBy(() -> new SecretStore(dir, Optional.empty()).read("k")).hasMessageContaining("is encrypted: set CERTOPS_PASSPHRASE");
    }

    @Test
    void privateKeysRoundTripAndNeverShowInToString() throws Exception {
        SecretStore s = new SecretStore(dir, Optional.of("pass".toCharArray()));
        var kp = Keys.generate(KeyType.EC_P256);
        s.writePrivateKey("certs/api-1.key", kp.getPrivate());
        assertThat(Keys.matches(s.readPrivateKey("certs/api-1.key"), kp.getPublic())).isTrue();
        assertThat(s.toString()).doesNotContain("pass");
    }

    @Test
    void hostileNamesAreRefused() {
        SecretStore s = new SecretStore(dir, Optional.empty());
        for (String bad : new String[] {"../etc/passwd", "/abs", "a/b/c", "a;b", "", "a/../b"}) {
            assertThatThrownBy(() -> s.write(bad, new byte[0])).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

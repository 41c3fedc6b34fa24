package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceVersionsSecretStoreTest {
    @TempDir Path root;

    @Test
    void readsAKeyEncryptedWithThePassphraseAsPlainBytes() throws Exception {
        Workspace ws = new Workspace(root);
        Path vdir = ws.certsDir().resolve("shop").resolve("1");
        Files.createDirectories(vdir);
        Files.writeString(vdir.resolve(RemotePaths.CERT), "CERT");
        Files.writeString(vdir.resolve(RemotePaths.CHAIN), "CHAIN");
        byte[] key = "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        SecretStore store = new SecretStore(ws.secretsDir(), Optional.of("s3cret-pass".toCharArray()));
        store.write("shop-1.key", key);
        assertThat(Files.readAllBytes(ws.secretsDir().resolve("shop-1.key"))).isNotEqualTo(key);

        DeployBundle bundle = new WorkspaceVersions(ws, store).load("shop", Optional.empty());

        assertThat(bundle.versionLabel()).isEqualTo("1");
        assertThat(bundle.keyPem()).isEqualTo(key);
    }
}

package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.testing.TestTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployBundleTest {
    @TempDir Path dir;

    @Test
    void toStringNeverShowsTheKey() throws Exception {
        TestTls t = TestTls.create(dir);
        DeployBundle b = new DeployBundle("api", "3", Files.readAllBytes(t.certPem()), Files.readAllBytes(t.caPem()), Files.readAllBytes(t.keyPem()));
        assertThat(b.toString()).contains("api", "3", "key hidden").doesNotContain("PRIVATE KEY");
        assertThat(new String(b.fullchainPem(), StandardCharsets.US_ASCII)).startsWith(Files.readString(t.certPem()).strip()).endsWith(Files.readString(t.caPem()));
        assertThat(b.certificates()).hasSize(2);
    }

    @Test
    void aLeafThatIsNotPemIsRefusedNamingTheFile() {
        DeployBundle b = new DeployBundle("api", "3", "not a certificate".getBytes(StandardCharsets.US_ASCII), new byte[0], new byte[0]);
        assertThatThrownBy(b::leaf).isInstanceOf(DeployException.class).hasMessageContaining("cert.pem").hasMessageContaining("nothing was sent");
    }
}

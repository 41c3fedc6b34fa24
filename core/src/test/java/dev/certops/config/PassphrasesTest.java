package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphrasesTest {
    @TempDir Path dir;

    private Path file(String name, String content, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aPrivatePassphraseFileIsReadWithoutItsLineEnding() throws Exception {
        Path f = file("pass", "s3cret phrase\n", "rw-------");

        assertThat(Passphrases.resolve(Map.of(Passphrases.ENV_FILE, f.toString()))).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("s3cret phrase"));
    }

    @Test
    void theEnvironmentVariableWinsOverTheFileAndTheCredential() throws Exception {
        Path f = file("pass", "from-file", "rw-------");
        file(Passphrases.CREDENTIAL, "from-credential", "r--------");

        assertThat(Passphrases.resolve(Map.of(Workspace.ENV_PASSPHRASE, "from-env", Passphrases.ENV_FILE, f.toString(),
                Passphrases.ENV_CREDENTIALS_DIRECTORY, dir.toString()))).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("from-env"));
    }

    @Test
    void aSystemdCredentialInTheCredentialsDirectoryIsTheTimersPassphrase() throws Exception {
        file(Passphrases.CREDENTIAL, "from-credential\r\n", "r--------");

        assertThat(Passphrases.resolve(Map.of(Passphrases.ENV_CREDENTIALS_DIRECTORY, dir.toString())))
                .hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("from-credential"));
    }

    @Test
    void aCredentialsDirectoryWithoutCertopsCredentialMeansNoPassphrase() {
        assertThat(Passphrases.resolve(Map.of(Passphrases.ENV_CREDENTIALS_DIRECTORY, dir.toString()))).isEmpty();
        assertThat(Passphrases.resolve(Map.of())).isEmpty();
    }

    @Test
    void aPassphraseFileOthersCanReadIsRefusedWithTheChmodToRun() throws Exception {
        Path f = file("pass", "s3cret", "rw-r--r--");

        assertThatThrownBy(() -> Passphrases.resolve(Map.of(Passphrases.ENV_FILE, f.toString())))
                .isInstanceOf(Passphrases.PassphraseException.class).hasMessageContaining("chmod 600 " + f).hasMessageNotContaining("s3cret");
    }

    @Test
    void aMissingOrEmptyPassphraseFileIsRefusedSayingWhatToDo() throws Exception {
        Path empty = file("empty", "\n", "rw-------");

        assertThatThrownBy(() -> Passphrases.resolve(Map.of(Passphrases.ENV_FILE, dir.resolve("nope").toString())))
                .hasMessageContaining("does not exist").hasMessageContaining("unset CERTOPS_PASSPHRASE_FILE");
        assertThatThrownBy(() -> Passphrases.resolve(Map.of(Passphrases.ENV_FILE, empty.toString()))).hasMessageContaining("is empty");
    }
}

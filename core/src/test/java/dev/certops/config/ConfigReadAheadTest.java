package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** certops.yaml read ahead by a head start: used only for the very bytes the command reads itself. */
class ConfigReadAheadTest {
    @TempDir Path dir;

    @BeforeEach
    void aFreshProcess() { ConfigLoader.forgetReads(); }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("certops.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void theCommandUsesWhatWasReadAheadWhenTheFileIsUnchanged() throws Exception {
        Path file = write("endpoints:\n  - { host: 127.0.0.1, port: 8443, sni: a.example }\n");
        ConfigLoader.readAhead(file);
        CertopsConfig loaded = ConfigLoader.load(file);
        assertThat(loaded.endpoints()).extracting(Endpoint::port).containsExactly(8443);
        assertThat(loaded).isEqualTo(ConfigLoader.parse(file, Files.readString(file)));
    }

    @Test
    void whatWasReadAheadIsOfferedOnlyForTheSameFileWithTheSameBytesAndOnlyOnce() throws Exception {
        Path file = write("endpoints:\n  - { host: 127.0.0.1, port: 8443, sni: a.example }\n");
        ConfigLoader.readAhead(file);
        assertThat(ConfigLoader.readAlready(dir.resolve("other.yaml"), Files.readAllBytes(file))).isEmpty();
        ConfigLoader.readAhead(file);
        assertThat(ConfigLoader.readAlready(file, "endpoints: []\n".getBytes())).isEmpty();
        ConfigLoader.readAhead(file);
        assertThat(ConfigLoader.readAlready(file, Files.readAllBytes(file))).get().extracting(c -> c.endpoints().get(0).sni()).isEqualTo("a.example");
        assertThat(ConfigLoader.readAlready(file, Files.readAllBytes(file))).isEmpty();
    }

    @Test
    void nothingIsReadAheadOnceTheCommandHasReadTheFileItself() throws Exception {
        Path file = write("endpoints:\n  - { host: 127.0.0.1, port: 8443, sni: a.example }\n");
        ConfigLoader.load(file);
        ConfigLoader.readAhead(file);
        assertThat(ConfigLoader.readAlready(file, Files.readAllBytes(file))).isEmpty();
    }

    @Test
    void aFileEditedAfterTheReadAheadIsReadAgain() throws Exception {
        Path file = write("endpoints:\n  - { host: 127.0.0.1, port: 8443, sni: a.example }\n");
        ConfigLoader.readAhead(file);
        write("endpoints:\n  - { host: 127.0.0.1, port: 9443, sni: b.example }\n");
        assertThat(ConfigLoader.load(file).endpoints()).extracting(Endpoint::sni).containsExactly("b.example");
    }

    @Test
    void anotherFileThanTheOneReadAheadIsReadItself() throws Exception {
        Path guessed = write("endpoints:\n  - { host: 127.0.0.1, port: 8443, sni: a.example }\n");
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, "endpoints:\n  - { host: 127.0.0.1, port: 7443, sni: c.example }\n");
        ConfigLoader.readAhead(guessed);
        assertThat(ConfigLoader.load(other).endpoints()).extracting(Endpoint::port).containsExactly(7443);
    }

    @Test
    void aMistakeInTheFileIsStillReportedByTheCommandWithItsLine() throws Exception {
        Path file = write("endpoints:\n  - { host: 127.0.0.1, port: 99999 }\n");
        ConfigLoader.readAhead(file);
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.line()).isEqualTo(2));
    }

    @Test
    void aMissingFileReadAheadIsReportedByTheCommandAsBefore() throws Exception {
        Path file = dir.resolve("none/certops.yaml");
        ConfigLoader.readAhead(file);
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining("file not found");
    }
}

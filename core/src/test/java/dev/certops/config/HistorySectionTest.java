package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistorySectionTest {
    private static final Path FILE = Path.of("/ws/certops.yaml");

    @Test
    void teamHistoryIsReadWithASecretReferenceForThePassword() throws Exception {
        CertopsConfig c = ConfigLoader.parse(FILE, """
                history: { url: "jdbc:postgresql://db.internal:5432/certops", user: certops, password: "secret:pg", ssl: require }
                """);

        HistoryConfig h = c.history().orElseThrow();
        assertThat(h.url()).isEqualTo("jdbc:postgresql://db.internal:5432/certops");
        assertThat(h.user()).isEqualTo("certops");
        assertThat(h.password()).contains(new SecretRef("secret:pg"));
        assertThat(h.ssl()).isEqualTo("require");
    }

    @Test
    void withoutAHistorySectionTheLocalFileIsUsed() throws Exception {
        assertThat(ConfigLoader.parse(FILE, "resolvers: [1.1.1.1]\n").history()).isEmpty();
    }

    @Test
    void passwordLeftOutComesFromTheEnvironmentAndSslDefaultsToRequire() throws Exception {
        HistoryConfig h = ConfigLoader.parse(FILE, "history: { url: \"jdbc:postgresql://db:5432/certops\", user: ops }\n")
                .history().orElseThrow();
        assertThat(h.password()).isEqualTo(Optional.empty());
        assertThat(h.ssl()).isEqualTo("require");
    }

    @Test
    void literalPasswordIsRefusedWithWhatToDoInstead() {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE,
                "history: { url: \"jdbc:postgresql://db:5432/certops\", user: ops, password: hunter2 }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be a secret: reference")
                .hasMessageContaining("CERTOPS_PG_PASSWORD").hasMessageNotContaining("hunter2");
    }

    @Test
    void urlWithParametersIsRefusedSoNoPasswordHidesInIt() {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE,
                "history: { url: \"jdbc:postgresql://db:5432/certops?password=x\", user: ops }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a PostgreSQL URL");
    }
}

package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RenewSectionTest {
    private static CertopsConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(Path.of("certops.yaml"), yaml);
    }

    @Test
    void readsRenewBeforeAndStaleAfter() throws Exception {
        RenewConfig r = parse("renew:\n  renewBefore: 30d\n  staleAfter: 26h\n").renew();
        assertThat(r.renewBefore()).contains(Duration.ofDays(30));
        assertThat(r.staleAfter()).isEqualTo(Duration.ofHours(26));
    }

    @Test
    void withoutARenewSectionRenewBeforeFollowsLifetimeAndStaleAfterIs26Hours() throws Exception {
        RenewConfig r = parse("resolvers: [1.1.1.1]\n").renew();
        assertThat(r.renewBefore()).isEmpty();
        assertThat(r.staleAfter()).isEqualTo(Duration.ofHours(26));
    }

    @Test
    void unknownRenewKeyIsRejectedWithTheAllowedKeys() {
        assertThatThrownBy(() -> parse("renew:\n  renewAfter: 30d\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("renewAfter").hasMessageContaining("renewBefore");
    }

    @Test
    void badDurationNamesTheAllowedForm() {
        assertThatThrownBy(() -> parse("renew:\n  staleAfter: soon\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("soon").hasMessageContaining("26h");
    }
}

package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CA's list of revoked serials as given to `estate affected --serials FILE`. */
class SerialListTest {
    @TempDir Path dir;

    @Test
    void serialsAreNormalisedAndCommentsAndBlankLinesSkipped() throws Exception {
        Path f = Files.writeString(dir.resolve("revoked.txt"), "# revoked 2026-11-23\n\n03:A1:FF\n  0b77c2  \n");
        assertThat(ImpactQuery.readSerials(f)).containsExactly("3a1ff", "b77c2");
    }

    @Test
    void aLineThatIsNotASerialIsNamedWithItsLineNumber() throws Exception {
        Path f = Files.writeString(dir.resolve("revoked.txt"), "03a1ff\nnot-a-serial\n");
        assertThatThrownBy(() -> ImpactQuery.readSerials(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("'not-a-serial' is not a hex serial").hasMessageContaining("one hex serial per line");
    }
}

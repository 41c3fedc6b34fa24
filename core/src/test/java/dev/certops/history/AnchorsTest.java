package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.crypto.SecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command's end signs the history's head once, finding the newest checkpoint from the file's last line. */
class AnchorsTest {
    @TempDir Path dir;

    @Test
    void eachNewHeadIsSignedOnceAndTheNewestCheckpointIsTheLastLineEvenInALongFile() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        SecretStore secrets = new SecretStore(dir.resolve("secrets"), Optional.empty());
        Anchors anchors = new Anchors(state);
        assertThat(anchors.newestCheckpoint()).isEmpty();
        for (long seq = 1; seq <= 60; seq++) {   // ~60 lines of ~140 bytes: more than the 4 KB tail that is read
            String hash = "%064x".formatted(seq);
            anchors.checkpoint(new Anchors.Head(seq, hash), secrets, 1_700_000_000_000L + seq);
            anchors.checkpoint(new Anchors.Head(seq, hash), secrets, 1_700_000_000_001L + seq); // the same head: no new line
        }
        List<Anchors.Checkpoint> all = anchors.checkpoints();
        assertThat(all).hasSize(60);
        assertThat(Files.size(anchors.checkpointsFile())).isGreaterThan(4096);
        assertThat(anchors.newestCheckpoint()).contains(all.get(59));
        assertThat(Anchors.signatureHolds(all.get(59), anchors.publicKey().orElseThrow())).isTrue();

        Files.writeString(anchors.checkpointsFile(), "\n\n", StandardOpenOption.APPEND); // blank lines at the end
        assertThat(anchors.newestCheckpoint()).contains(all.get(59));
        anchors.checkpoint(new Anchors.Head(59, "%064x".formatted(59)), secrets, 1L);
        assertThat(anchors.checkpoints()).as("an older head is not signed again").hasSize(60);
    }
}

package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAriMomentsTest {
    private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");
    private static final AriWindow WINDOW = new AriWindow(START, START.plus(Duration.ofDays(2)));

    @Test
    void choosesAMomentInsideTheWindow(@TempDir Path dir) {
        Instant m = new FileAriMoments(dir.resolve("state/ari.properties"), new SplittableRandom(1)).momentFor("www", WINDOW);
        assertThat(m).isBetween(WINDOW.start(), WINDOW.end());
    }

    @Test
    void keepsTheChosenMomentAcrossRunsForTheSameWindow(@TempDir Path dir) {
        Path file = dir.resolve("state/ari.properties");
        Instant first = new FileAriMoments(file, new SplittableRandom(1)).momentFor("www", WINDOW);
        Instant again = new FileAriMoments(file, new SplittableRandom(99)).momentFor("www", WINDOW);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void choosesAgainWhenTheWindowChanges(@TempDir Path dir) {
        FileAriMoments moments = new FileAriMoments(dir.resolve("ari.properties"), new SplittableRandom(7));
        moments.momentFor("www", WINDOW);
        AriWindow later = new AriWindow(START.plus(Duration.ofDays(10)), START.plus(Duration.ofDays(11)));
        assertThat(moments.momentFor("www", later)).isBetween(later.start(), later.end());
    }
}

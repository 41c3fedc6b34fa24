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
        FileAriMoments run = new FileAriMoments(file, new SplittableRandom(1));
        Instant first = run.momentFor("www", WINDOW);
        run.save();
        Instant again = new FileAriMoments(file, new SplittableRandom(99)).momentFor("www", WINDOW);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void momentsChosenForManyCertificatesAreWrittenOnceWhenThePlanningEnds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ari.properties");
        FileAriMoments moments = new FileAriMoments(file, new SplittableRandom(3));
        for (int i = 0; i < 50; i++) moments.momentFor("c" + i, WINDOW);
        assertThat(file).doesNotExist();
        moments.save();
        assertThat(java.nio.file.Files.readAllLines(file)).filteredOn(l -> l.startsWith("c")).hasSize(50);
    }

    @Test
    void aRunThatChoosesNoNewMomentLeavesTheFileUntouched(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ari.properties");
        FileAriMoments first = new FileAriMoments(file, new SplittableRandom(3));
        first.momentFor("www", WINDOW);
        first.save();
        Object written = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        FileAriMoments next = new FileAriMoments(file, new SplittableRandom(4));
        next.momentFor("www", WINDOW);
        next.save();
        assertThat(java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .isEqualTo(written);
    }

    @Test
    void choosesAgainWhenTheWindowChanges(@TempDir Path dir) {
        FileAriMoments moments = new FileAriMoments(dir.resolve("ari.properties"), new SplittableRandom(7));
        moments.momentFor("www", WINDOW);
        AriWindow later = new AriWindow(START.plus(Duration.ofDays(10)), START.plus(Duration.ofDays(11)));
        assertThat(moments.momentFor("www", later)).isBetween(later.start(), later.end());
    }
}

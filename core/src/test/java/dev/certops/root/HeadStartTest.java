package dev.certops.root;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.crypto.TrustAnchors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HeadStartTest {
    @Test
    void everyIssuanceStepPreparesWhatItNamesOnThisMachine() {
        // a step that failed here would be silent in the field (it is ignored there): each must work on a plain machine
        assertThat(HeadStart.run(HeadStart.issuanceSteps())).isEmpty();
        assertThat(TrustAnchors.javaRoots()).as("Java's trust store, read once for the process").isNotEmpty();
    }

    @Test
    void aStepThatFailsIsLeftAloneAndTheNextStillRuns() {
        List<String> ran = new ArrayList<>();
        List<String> failed = HeadStart.run(List.of(
                new HeadStart.Step("broken", () -> { throw new IllegalStateException("no such library"); }),
                new HeadStart.Step("linkage", () -> { throw new NoClassDefFoundError("missing"); }),
                new HeadStart.Step("fine", () -> ran.add("fine"))));

        assertThat(failed).containsExactly("broken", "linkage");
        assertThat(ran).containsExactly("fine");
    }

    @Test
    void theIssuanceStepsReadAndWriteNoWorkspace() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        List<Path> before;
        try (Stream<Path> s = Files.list(here)) {
            before = s.toList();
        }
        HeadStart.run(HeadStart.issuanceSteps());
        try (Stream<Path> s = Files.list(here)) {
            assertThat(s.toList()).as("the working folder after the head start").containsExactlyInAnyOrderElementsOf(before);
        }
    }
}

package dev.certops.root;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.ConfigLoader;
import dev.certops.config.Workspace;
import dev.certops.crypto.TrustAnchors;
import dev.certops.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadStartTest {
    @Test
    void everyIssuanceStepPreparesWhatItNamesOnThisMachine() {
        // a step that failed here would be silent in the field (it is ignored there): each must work on a plain machine
        assertThat(HeadStart.run(HeadStart.issuanceSteps())).isEmpty();
        assertThat(TrustAnchors.javaRoots()).as("Java's trust store, read once for the process").isNotEmpty();
    }

    @Test
    void everyIssueStepPreparesWhatItNamesAndWritesNothingInTheWorkspace(@TempDir Path dir) throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("certops.yaml"), """
                cas:
                  - { id: primary, directory: "https://127.0.0.1:%d/dir", contact: "mailto:ops@example.com", agreeToTerms: true }
                dns:
                  - { id: lab, type: challtestsrv, url: "http://127.0.0.1:%d" }
                certificates:
                  - { id: www, names: [www.example.com], challenge: { type: dns-01, dns: lab }, cas: [primary] }
                """.formatted(FreePort.tcp(), FreePort.tcp()));
        List<Path> before;
        try (Stream<Path> s = Files.walk(dir)) {
            before = s.toList();
        }
        HeadStart.IssueGuess guess = new HeadStart.IssueGuess(new Workspace(ws), List.of("www", "unknown"), Optional.empty(), false);
        assertThat(HeadStart.run(HeadStart.issueSteps(guess))).isEmpty();
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.toList()).as("the workspace after the head start").containsExactlyInAnyOrderElementsOf(before);
        }
        HeadStart.IssueGuess noWorkspace = new HeadStart.IssueGuess(new Workspace(dir.resolve("none")), List.of("www"), Optional.empty(), false);
        assertThat(HeadStart.run(HeadStart.issueSteps(noWorkspace))).as("no certops.yaml: the command says so, not the head start").isEmpty();
    }

    @Test
    void theSuffixListIsPreparedOnlyWhenACaCountsRegisteredDomains(@TempDir Path dir) throws Exception {
        String le = "cas:\n  - { id: le, directory: \"https://acme.example.test/dir\", agreeToTerms: true, limits: letsencrypt }\n";
        String lab = "cas:\n  - { id: lab, directory: \"https://127.0.0.1:14000/dir\", agreeToTerms: true }\n";
        String both = lab + "  - { id: le, directory: \"https://acme.example.test/dir\", agreeToTerms: true, limits: letsencrypt-staging }\n";
        assertThat(HeadStart.countsRegisteredDomains(ConfigLoader.parse(dir.resolve("a.yaml"), le))).isTrue();
        assertThat(HeadStart.countsRegisteredDomains(ConfigLoader.parse(dir.resolve("b.yaml"), lab))).isFalse();
        assertThat(HeadStart.countsRegisteredDomains(ConfigLoader.parse(dir.resolve("c.yaml"), both))).isTrue();
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

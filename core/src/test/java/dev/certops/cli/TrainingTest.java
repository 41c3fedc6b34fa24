package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each training run exercises: every command for the CLI's archive, one family for Java 25's linked caches. */
class TrainingTest {
    @TempDir Path temp;
    private static final Map<String, String> THROWAWAY = Map.of(Training.WORKSPACE_ENV, "/tmp/sandbox", Training.CERT_ENV, "api");

    private static List<String> joined(List<List<String>> lines) {
        return lines.stream().map(l -> String.join(" ", l)).toList();
    }

    @Test
    void theClisTrainingRunsEveryCommandsHelpAndTheWorkingCommands() {
        List<String> lines = joined(Training.commands(temp, THROWAWAY));
        assertThat(lines).contains("--version", "issue --help", "estate scan --help", "issue api --workspace /tmp/sandbox",
                "deploy api --workspace /tmp/sandbox", "estate scan --workspace /tmp/sandbox");
        assertThat(Training.commands(temp, THROWAWAY, "")).isEqualTo(Training.commands(temp, THROWAWAY));
    }

    @Test
    void theIssueFamilyTrainsAnIssuanceFromTheThrowawayCaAndNothingElse() {
        assertThat(joined(Training.commands(temp, THROWAWAY, Training.ISSUE))).containsExactly("issue api --workspace /tmp/sandbox");
    }

    @Test
    void theRenewFamilyPlansRenewalsOnTheThrowawayWorkspaceAndNothingElseItDoesNotUse() {
        List<String> lines = joined(Training.commands(temp, THROWAWAY, Training.RENEW));
        assertThat(lines).contains("renew --dry-run --workspace /tmp/sandbox");
        assertThat(lines).noneMatch(l -> l.contains("--help") || l.equals("--version") || l.startsWith("deploy ") || l.startsWith("estate ")
                || l.startsWith("issue "));
        assertThat(lines.get(0)).as("its workspace is made first").startsWith("init ");
    }

    @Test
    void withoutAThrowawayCaTheIssuingFamiliesTrainATlsHandshakeInstead() {
        for (String family : List.of(Training.ISSUE, Training.RENEW)) {
            List<String> lines = joined(Training.commands(temp, Map.of(), family));
            assertThat(lines).contains("estate scan --workspace " + temp.resolve("workspace"), "renew --dry-run --workspace " + temp.resolve("workspace"));
        }
    }

    @Test
    void deployRollbackRunbooksAndDrillsTrainOnEveryCommand() {
        assertThat(Training.commands(temp, THROWAWAY, "all")).isEqualTo(Training.commands(temp, THROWAWAY));
    }

    @Test
    void theScanFamilyTrainsEstateScansOnly() {
        List<String> lines = joined(Training.commands(temp, THROWAWAY, "scan"));
        assertThat(lines.subList(1, lines.size())).isNotEmpty().allMatch(l -> l.startsWith("estate scan"));
        assertThat(lines).contains("estate scan --workspace /tmp/sandbox");
    }

    @Test
    void withoutAThrowawayWorkspaceNothingIsIssued() {
        for (String family : List.of("", Training.ISSUE, Training.RENEW, Training.SCAN, Training.LIGHT, Training.ROOT)) {
            assertThat(joined(Training.commands(temp, Map.of(), family)))
                    .noneMatch(l -> (l.startsWith("issue ") || l.startsWith("deploy ")) && !l.endsWith("--help"));
        }
    }

    @Test
    void theRootFamilyTrainsOnlyTheRootsOwnHelpAndVersion() {
        assertThat(joined(Training.commands(temp, THROWAWAY, Training.ROOT))).containsExactly("--help", "--version");
    }

    @Test
    void theEverydayFamilyTrainsEveryCommandsHelpAndTheOfflineCommandsButNoIssuanceScanOrDeploy() {
        List<String> lines = joined(Training.commands(temp, THROWAWAY, Training.LIGHT));
        String ws = temp.resolve("workspace").toString();
        assertThat(lines).contains("--version", "issue --help", "estate scan --help", "status --workspace " + ws,
                "history --workspace " + ws, "budget --workspace " + ws);
        assertThat(lines).noneMatch(l -> !l.endsWith("--help") && (l.startsWith("issue ") || l.startsWith("deploy ")
                || l.startsWith("estate ") || l.startsWith("renew ") || l.contains("/tmp/sandbox")));
    }
}

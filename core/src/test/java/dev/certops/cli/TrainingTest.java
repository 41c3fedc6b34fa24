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

    /** Set by {@link Learned}'s static initializer: a learned class must be loaded, never initialized. */
    static final java.util.concurrent.atomic.AtomicBoolean LEARNED_INITIALIZED = new java.util.concurrent.atomic.AtomicBoolean();

    /** A class only the learned list below names. */
    static final class Learned {
        static {
            LEARNED_INITIALIZED.set(true);
        }
    }

    @Test
    void aClassListTheJvmWroteGivesItsClassNamesWithoutItsDirectivesOrHiddenClasses() throws Exception {
        // the field's verdict: a list the real JVM wrote, as ./certops has it written by a command's first run
        Path list = temp.resolve("seen.classes");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-XX:DumpLoadedClassList=" + list, "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor()).isZero();
        List<String> names = Training.learnedClasses(list);
        assertThat(names).contains("java.lang.Object", "java.lang.String").hasSizeGreaterThan(100)
                .noneMatch(n -> n.contains("/") || n.contains(" ") || n.startsWith("@") || n.contains("$$Lambda"));
        // where a Java 25 cache is in use, ./certops has the class-loading log written instead: the same names
        Path log = temp.resolve("seen.log");
        Process q = new ProcessBuilder(java, "-Xlog:class+load=info:file=" + log + ":none", "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(q.waitFor()).isZero();
        assertThat(Training.learnedClasses(log)).contains("java.lang.Object", "java.lang.String").hasSizeGreaterThan(100)
                .noneMatch(n -> n.contains("/") || n.contains(" ") || n.contains("$$Lambda") || n.contains("source:"));
    }

    @Test
    void learningLoadsTheClassesARealRunLoadedWithoutRunningTheirCodeAndSkipsWhatIsNotThere() throws Exception {
        Path list = temp.resolve("learned");
        java.nio.file.Files.writeString(list, String.join("\n",
                "dev/certops/cli/TrainingTest$Learned",
                "@lambda-proxy dev/certops/cli/Cli run ()Ljava/lang/Runnable; ()V REF_invokeStatic dev/certops/cli/Cli lambda$run$0 ()V ()V",
                "dev/certops/cli/NoLongerInTheseJars id: 12",
                "dev/certops/cli/Cli$$Lambda$55/0x0000000800c4b000",
                "# a comment", ""));
        assertThat(Training.learnedClasses(list)).containsExactly("dev.certops.cli.TrainingTest$Learned", "dev.certops.cli.NoLongerInTheseJars");
        int[] counts = Training.learn(list, getClass().getClassLoader());
        assertThat(counts).containsExactly(2, 1);
        assertThat(LEARNED_INITIALIZED).as("no static code of a learned class runs in the training").isFalse();
        assertThat(Training.learnedClasses(temp.resolve("absent"))).isEmpty();
    }

    @Test
    void anIssuanceTheFieldRanIsTheIssueFamilysWholeTrainingOnJava17ButNotWhereTheTrainingCanIssueOrOnJava25() throws Exception {
        Path list = temp.resolve("learned");
        java.nio.file.Files.writeString(list, "dev/certops/cli/Cli\n");
        Path empty = temp.resolve("empty");
        java.nio.file.Files.writeString(empty, "@lambda-form-invoker [LF_RESOLVE] x\n");
        assertThat(Training.learnedIsEnough(Training.ISSUE, Map.of(), list, 17)).isTrue();
        assertThat(Training.learnedIsEnough(Training.ISSUE, Map.of(), list, 25)).as("Java 25 keeps what ran").isFalse();
        assertThat(Training.learnedIsEnough(Training.ISSUE, THROWAWAY, list, 17)).as("a throwaway CA issues").isFalse();
        assertThat(Training.learnedIsEnough(Training.ISSUE, Map.of(), empty, 17)).as("a list of no class").isFalse();
        assertThat(Training.learnedIsEnough(Training.ISSUE, Map.of(), null, 17)).isFalse();
        for (String family : List.of(Training.RENEW, Training.SCAN, "all", Training.LIGHT, Training.ROOT)) {
            assertThat(Training.learnedIsEnough(family, Map.of(), list, 17)).as(family + ": one command's run does not cover its family").isFalse();
        }
    }
}

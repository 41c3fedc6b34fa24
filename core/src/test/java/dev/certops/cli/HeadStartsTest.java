package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.root.HeadStart;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Which head start a command line gets, and which certops.yaml a scan's head start reads ahead: the one the command will read, or none. */
class HeadStartsTest {
    @Test
    void issueGetsItsOwnHeadStartThatOpensTheCasSessionEarly() {
        assertThat(HeadStarts.choose("issue", "web")).contains(HeadStarts.Kind.ISSUE);
        assertThat(HeadStarts.choose("--workspace", "/ws", "issue", "a", "b")).contains(HeadStarts.Kind.ISSUE);
    }

    @Test
    void theIssueGuessNamesTheCertificatesTheCaStagingAndWorkspaceAsTyped() {
        HeadStart.IssueGuess g = HeadStarts.issuing(HOME, "--workspace", "/tmp/ws", "issue", "www", "--deadline", "5m", "api",
                "--ca=backup", "--staging", "--concurrency", "3", "--override-budget", "--http01-listen", "0.0.0.0:80", "mail").orElseThrow();
        assertThat(g.certificates()).containsExactly("www", "api", "mail");
        assertThat(g.ca()).contains("backup");
        assertThat(g.staging()).isTrue();
        assertThat(g.workspace()).isEqualTo(new Workspace(Path.of("/tmp/ws")));
        HeadStart.IssueGuess plain = HeadStarts.issuing(HOME, "issue", "www").orElseThrow();
        assertThat(plain.ca()).isEmpty();
        assertThat(plain.staging()).isFalse();
        assertThat(plain.workspace()).isEqualTo(new Workspace(Path.of("/srv/certops")));
    }

    @Test
    void theIssueGuessSkipsTheValueOfEveryOptionOfIssueThatTakesOne() {
        CommandLine issue = new CommandLine(new IssueCommand(null));
        Set<String> withValues = new TreeSet<>();
        for (OptionSpec o : issue.getCommandSpec().options()) {
            if (o.arity().max() > 0) withValues.addAll(List.of(o.names()));
        }
        withValues.add("--workspace"); // inherited from the root command
        assertThat(HeadStarts.ISSUE_OPTIONS_WITH_VALUES).containsExactlyInAnyOrderElementsOf(withValues);
    }

    @Test
    void commandsThatTalkToACaGetTheIssuanceHeadStart() {
        for (String[] args : new String[][] {{"--workspace", "/ws", "renew"},
                {"revoke", "web", "--reason", "keyCompromise"}, {"runbook", "run", "mass-revocation"}, {"drill", "run"}}) {
            assertThat(HeadStarts.choose(args)).as(String.join(" ", args)).contains(HeadStarts.Kind.ISSUANCE);
        }
    }

    @Test
    void estateScanAndAffectedGetTheScanHeadStart() {
        assertThat(HeadStarts.choose("estate", "scan")).contains(HeadStarts.Kind.SCAN);
        assertThat(HeadStarts.choose("--workspace", "/ws", "estate", "affected", "--ca", "x")).contains(HeadStarts.Kind.SCAN);
        assertThat(HeadStarts.choose("estate", "--workspace", "/ws", "scan", "--json")).contains(HeadStarts.Kind.SCAN);
    }

    @Test
    void helpVersionAndCommandsThatDoNoSuchWorkGetNone() {
        for (String[] args : new String[][] {{}, {"--help"}, {"-V"}, {"issue", "--help"}, {"renew", "-h"}, {"config", "check"},
                {"estate", "discover", "10.0.0.0/30"}, {"estate", "scan", "--help"},
                {"history"}, {"hosts", "trust", "web1"}, {"--unknown"}, {"isue", "web"}}) {
            assertThat(HeadStarts.choose(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    private static final Map<String, String> HOME = Map.of("CERTOPS_HOME", "/srv/certops");

    @Test
    void aScanReadsAheadTheWorkspaceTypedAfterTheCommand() {
        assertThat(HeadStarts.scanning(HOME, "estate", "scan", "--workspace", "/tmp/ws", "--json"))
                .contains(Path.of("/tmp/ws/certops.yaml"));
    }

    @Test
    void aScanReadsAheadTheWorkspaceTypedBeforeTheCommandOrWithAnEqualsSign() {
        assertThat(HeadStarts.scanning(HOME, "--workspace", "/tmp/ws", "estate", "affected", "--ca", "x"))
                .contains(Path.of("/tmp/ws/certops.yaml"));
        assertThat(HeadStarts.scanning(HOME, "estate", "scan", "--workspace=/tmp/other")).contains(Path.of("/tmp/other/certops.yaml"));
    }

    @Test
    void withoutWorkspaceOptionTheScanReadsAheadCertopsHome() {
        assertThat(HeadStarts.scanning(HOME, "estate", "scan")).contains(Path.of("/srv/certops/certops.yaml"));
    }

    @Test
    void helpAndTheOtherEstateCommandsReadNothingAhead() {
        assertThat(HeadStarts.scanning(HOME, "estate", "scan", "--help")).isEmpty();
        assertThat(HeadStarts.scanning(HOME, "estate", "-h")).isEmpty();
        assertThat(HeadStarts.scanning(HOME, "estate", "discover", "10.0.0.0/30")).isEmpty();
        assertThat(HeadStarts.scanning(HOME, "estate")).isEmpty();
        assertThat(HeadStarts.scanning(HOME, "status")).isEmpty();
    }
}

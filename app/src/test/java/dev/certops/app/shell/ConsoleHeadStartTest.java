package dev.certops.app.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.Workspace;
import dev.certops.estate.CertificateView;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's head start: the workspace and the Estate's first scan, begun while JavaFX starts, taken over by the window. */
class ConsoleHeadStartTest {
    @TempDir Path dir;

    private Workspace workspace(String config) throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), config);
        return ws;
    }

    private static int scansRecorded(ShellViewModel vm) throws HistoryException {
        return vm.session().history().query(EventQuery.all().kind(EventKinds.SCAN_FINISHED)).size();
    }

    @Test
    void theEstatesFirstScanIsTheOneBegunAheadAndEveryLaterScanScansAgain() throws Exception {
        Workspace ws = workspace("""
                certificates:
                  - { id: api, names: [api.example.test] }
                  - { id: shop, names: [shop.example.test] }
                """);
        try (ShellViewModel vm = ConsoleHeadStart.begin(ws, Map.of()).shell()) {
            assertThat(vm.workspaceReadyProperty().get()).isTrue();
            var scans = vm.estateScans();
            assertThat(scans.call().certificates()).extracting(CertificateView::id).containsExactlyInAnyOrder("api", "shop");
            assertThat(scansRecorded(vm)).as("the screen's first scan is the head start's, not a second one").isEqualTo(1);
            scans.call();
            assertThat(scansRecorded(vm)).as("F5 and rescans after actions scan for real").isEqualTo(2);
        }
    }

    @Test
    void aScanThatFailedAheadFailsTheEstatesFirstScanWithItsOwnCause() throws Exception {
        Workspace ws = workspace("certificates:\n  - { id: api, names: [api.example.test] }\n");
        Files.createDirectories(ws.historyFile()); // SQLite cannot open a folder: the scan cannot record itself
        try (ShellViewModel vm = ConsoleHeadStart.begin(ws, Map.of()).shell()) {
            assertThatThrownBy(() -> vm.estateScans().call()).isInstanceOf(HistoryException.class);
        }
    }

    @Test
    void aWorkspaceWhoseConfigurationHasAnErrorOpensOnTheErrorAndIsNotScanned() throws Exception {
        Workspace ws = workspace("certificates: [ { id: api, names: [api.example.test] }\n");
        try (ShellViewModel vm = ConsoleHeadStart.begin(ws, Map.of()).shell()) {
            assertThat(vm.problemProperty().get()).isNotEmpty();
            assertThat(vm.scanAhead()).isNull();
        }
    }

    @Test
    void noWorkspaceYetOpensTheEmptyState() {
        Workspace ws = new Workspace(dir.resolve("nothing-here"));
        try (ShellViewModel vm = ConsoleHeadStart.begin(ws, Map.of()).shell()) {
            assertThat(vm.workspaceReadyProperty().get()).isFalse();
            assertThat(vm.scanAhead()).isNull();
        }
        assertThat(Files.exists(ws.root())).as("opening never creates a workspace").isFalse();
    }

    @Test
    void theWindowTakesOverOnlyTheWorkspaceTheHeadStartOpened() {
        Workspace ws = new Workspace(dir.resolve("a"));
        ConsoleHeadStart head = ConsoleHeadStart.begin(ws, Map.of());
        try (ShellViewModel vm = head.shell()) {
            assertThat(head.opened(new Workspace(dir.resolve("a")))).isTrue();
            assertThat(head.opened(new Workspace(dir.resolve("b")))).isFalse();
        }
    }

    @Test
    void theWorkspaceIsReadFromEitherFormOfTheOption() {
        assertThat(ConsoleApp.workspaceOption(List.of("--workspace", "/srv/ws"))).contains(Path.of("/srv/ws"));
        assertThat(ConsoleApp.workspaceOption(List.of("--workspace=/srv/ws"))).contains(Path.of("/srv/ws"));
        assertThat(ConsoleApp.workspaceOption(List.of())).isEqualTo(Optional.empty());
    }
}

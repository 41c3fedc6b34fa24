package dev.certops.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.Workspace;
import dev.certops.runbook.action.RunbookActions;
import dev.certops.root.CompositionRoot;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookCatalogTest {
    @TempDir Path dir;
    Workspace ws;
    RunbookCatalog catalog;

    @BeforeEach
    void setUp() {
        ws = new Workspace(dir);
        CompositionRoot session = new CompositionRoot(ws, Map.of(), Clock.systemUTC());
        var actions = RunbookActions.forSession(session, session.operations());
        catalog = new RunbookCatalog(ws, new RunbookLoader(actions.types()));
    }

    @Test
    void everyBuiltInRunbookLoadsAgainstTheInstalledActions() throws Exception {
        assertThat(RunbookCatalog.builtinNames())
                .containsExactly("primary-ca-outage", "mass-revocation", "key-compromise", "renewal-failing", "quarterly-drill");
        for (String n : RunbookCatalog.builtinNames()) {
            RunbookDefinition d = catalog.builtin(n);
            assertThat(d.name()).isEqualTo(n);
            assertThat(d.builtin()).isTrue();
            assertThat(d.steps()).isNotEmpty();
        }
    }

    @Test
    void listShowsBuiltInsWhenTheTeamHasNone() throws Exception {
        assertThat(catalog.list()).hasSize(5).allMatch(RunbookCatalog.Entry::builtin);
    }

    @Test
    void aCopiedBuiltInIsEditedInTheTeamFolderAndReplacesTheBuiltIn() throws Exception {
        Path copy = catalog.copyToTeam("key-compromise");
        assertThat(copy).isEqualTo(ws.runbooksDir().resolve("key-compromise.yaml"));
        Files.writeString(copy, Files.readString(copy).replaceFirst("title: .*", "title: Our own key-compromise procedure"));
        RunbookDefinition d = catalog.find("key-compromise");
        assertThat(d.title()).isEqualTo("Our own key-compromise procedure");
        assertThat(d.builtin()).isFalse();
        assertThat(catalog.list()).filteredOn(e -> e.name().equals("key-compromise")).singleElement()
                .satisfies(e -> assertThat(e.overridesBuiltin()).isTrue());
    }

    @Test
    void copyingTwiceNeverOverwritesTheTeamsEdits() throws Exception {
        catalog.copyToTeam("mass-revocation");
        assertThatThrownBy(() -> catalog.copyToTeam("mass-revocation")).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void aTeamRunbookIsFoundByName() throws Exception {
        Files.createDirectories(ws.runbooksDir());
        Files.writeString(ws.runbooksDir().resolve("dns-failover.yaml"), """
                name: dns-failover
                title: Move DNS to the backup provider
                steps:
                  - id: switch
                    title: Switch NS records at the registrar
                """);
        assertThat(catalog.find("dns-failover").steps()).singleElement().satisfies(s -> assertThat(s.manual()).isTrue());
        assertThat(catalog.list()).extracting(RunbookCatalog.Entry::name).contains("dns-failover", "primary-ca-outage");
    }

    @Test
    void anUnknownNameListsWhatExists() {
        assertThatThrownBy(() -> catalog.find("ca-outage")).hasMessageContaining("no runbook 'ca-outage'").hasMessageContaining("primary-ca-outage");
    }

    @Test
    void aBrokenTeamRunbookIsReportedWithItsFileAndLine() throws Exception {
        Files.createDirectories(ws.runbooksDir());
        Files.writeString(ws.runbooksDir().resolve("broken.yaml"), "name: broken\ntitle: Broken\nsteps:\n  - id: x\n    title: X\n    action: launch-rockets\n");
        assertThatThrownBy(() -> catalog.list()).hasMessageContaining("broken.yaml").hasMessageContaining(":6")
                .hasMessageContaining("unknown action 'launch-rockets'");
    }
}

package dev.certops.root;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.runbook.RunbookCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookServicesTest {
    @TempDir Path root;

    @Test
    void freshWorkspaceListsEveryBuiltinRunbookThroughTheSession() throws Exception {
        try (CompositionRoot session = new CompositionRoot(new Workspace(root), Map.of(), Clock.systemUTC())) {
            assertThat(session.runbooks().catalog().list())
                    .extracting(RunbookCatalog.Entry::name)
                    .containsAll(RunbookCatalog.builtinNames());
            assertThat(session.runbooks()).isSameAs(session.runbooks());
        }
    }
}

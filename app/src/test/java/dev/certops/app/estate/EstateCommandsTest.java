package dev.certops.app.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.root.CompositionRoot;
import dev.certops.testing.DrillHostWorkspace;
import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's deploy through core's operations layer, against a real nginx on a local drill host. */
class EstateCommandsTest {
    @TempDir Path dir;

    @Test
    void theConsoleDeploysTheVersionItsConfirmationShowedEvenWhenANewerOneIsStoredMeanwhile() throws Exception {
        try (DrillHostWorkspace drill = DrillHostWorkspace.create(dir);
             CompositionRoot session = new CompositionRoot(drill.workspace(), Map.of("USER", "tester"), Clock.systemUTC())) {
            EstateCommands commands = new EstateCommands(session);
            assertThat(commands.waves("web")).containsExactly("drill-1"); // the confirmation is built: version 2 is the newest
            TestTls.create(dir.resolve("v3")).storeAs(drill.workspace(), "web", "3");

            String outcome = commands.deploy("web");

            assertThat(outcome).startsWith("Deployed");
            byte[] live = Files.readAllBytes(drill.certDir().resolve("live").resolve("cert.pem"));
            assertThat(live).as("the confirmed version 2 went live, not version 3")
                    .isEqualTo(Files.readAllBytes(drill.workspace().certsDir().resolve("web/2/cert.pem")));
        }
    }
}

package dev.certops.app.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
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
    void renewNowsConfirmationNamesTheCertificateItsCasInFailoverOrderAndEachHostsReleaseFolder() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                cas:
                  - { id: primary, directory: "https://127.0.0.1:14000/dir" }
                  - { id: secondary, directory: "https://127.0.0.1:15000/dir" }
                hosts:
                  - { id: web1, address: local, certDir: /srv/certs/api }
                  - { id: web2, address: local, certDir: /srv/other }
                certificates:
                  - { id: api, names: [api.example.test], cas: [primary, secondary], deploy: { waves: [[web1], [web2]] } }
                """);
        try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            String text = new EstateCommands(session).renewConfirmation("api");
            assertThat(text).startsWith("A new certificate for api (api.example.test, ")
                    .contains("ordered now from CA primary (https://127.0.0.1:14000/dir), failing over to secondary (https://127.0.0.1:15000/dir) when it is down")
                    .contains("wave 1 (canary):\n    web1 → a new release in /srv/certs/api/releases", "wave 2:\n    web2 → a new release in /srv/other/releases");
        }
    }

    @Test
    void theConsoleDeploysTheVersionItsConfirmationShowedEvenWhenANewerOneIsStoredMeanwhile() throws Exception {
        try (DrillHostWorkspace drill = DrillHostWorkspace.create(dir);
             CompositionRoot session = new CompositionRoot(drill.workspace(), Map.of("USER", "tester"), Clock.systemUTC())) {
            EstateCommands commands = new EstateCommands(session);
            // the confirmation is built from the plan: version 2 is the newest, into a release folder named in it
            assertThat(commands.deployConfirmation("web")).startsWith("web version 2").contains("drill-1 → " + drill.certDir() + "/releases/");
            TestTls.create(dir.resolve("v3")).storeAs(drill.workspace(), "web", "3");

            String outcome = commands.deploy("web");

            assertThat(outcome).startsWith("Deployed");
            byte[] live = Files.readAllBytes(drill.certDir().resolve("live").resolve("cert.pem"));
            assertThat(live).as("the confirmed version 2 went live, not version 3")
                    .isEqualTo(Files.readAllBytes(drill.workspace().certsDir().resolve("web/2/cert.pem")));
        }
    }
}

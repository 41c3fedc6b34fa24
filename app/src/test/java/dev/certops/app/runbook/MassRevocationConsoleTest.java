package dev.certops.app.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.ConsoleWindow;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.estate.CertificateView;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Our CA primary is revoking what it issued" in the console, after failovers: configuration and
 * issuance disagree. The Estate's CA filter and the mass-revocation runbook's select step (started
 * from the Runbooks screen with ca = primary) both pick exactly the certificates primary issued — a
 * certificate configured [secondary, primary] that primary issued, not one configured for primary
 * that secondary issued, nor one nobody here issued. Real nginx serves every certificate.
 */
@ExtendWith(ApplicationExtension.class)
class MassRevocationConsoleTest {
    @TempDir static Path dir;
    static NginxFixture nginx;
    static Path ws;
    private ConsoleWindow console;

    @BeforeAll
    static void estateAfterFailovers() throws Exception {
        var root = CertificateBuilder.ca("Failover Root").build();
        nginx = NginxFixture.in(dir.resolve("nginx"));
        Map<String, String> issuedBy = new LinkedHashMap<>();
        issuedBy.put("failed-over-to-primary", "primary");     // configured [secondary, primary]
        issuedBy.put("on-primary", "primary");                 // configured [primary]
        issuedBy.put("failed-over-to-secondary", "secondary"); // configured [primary, secondary]
        issuedBy.put("legacy", null);                          // configured [primary], made before certops
        Map<String, CertificateBuilder.Issued> leaves = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String id : issuedBy.keySet()) {
            var leaf = CertificateBuilder.leaf(id + ".console.test").signedBy(root).build();
            leaves.put(id, leaf);
            Path d = Files.createDirectories(dir.resolve(id));
            Files.writeString(d.resolve("fullchain.pem"), PemWriter.certificate(leaf.certificate()));
            Files.writeString(d.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
            int port = FreePort.tcp();
            ports.put(id, port);
            nginx.addServer(id + ".console.test", port, d.resolve("fullchain.pem"), d.resolve("privkey.pem"));
        }
        nginx.start();
        for (int p : ports.values()) Poll.until(Duration.ofSeconds(10), () -> Poll.accepts(p), "port " + p);
        ws = dir.resolve("ws");
        new Workspace(ws).create();
        StringBuilder y = new StringBuilder("cas:\n  - { id: primary, directory: \"https://127.0.0.1:1/dir\" }\n"
                + "  - { id: secondary, directory: \"https://127.0.0.1:2/dir\" }\ncertificates:\n");
        for (String id : issuedBy.keySet()) {
            String cas = id.equals("failed-over-to-primary") ? "[secondary, primary]" : id.equals("failed-over-to-secondary") ? "[primary, secondary]" : "[primary]";
            y.append("  - { id: ").append(id).append(", names: [").append(id).append(".console.test], cas: ").append(cas)
                    .append(", endpoints: [{ host: 127.0.0.1, port: ").append(ports.get(id)).append(", sni: ").append(id).append(".console.test }] }\n");
        }
        Files.writeString(new Workspace(ws).configFile(), y.toString());
        try (CompositionRoot s = new CompositionRoot(new Workspace(ws), Map.of("USER", "tester"), Clock.systemUTC())) {
            for (var e : issuedBy.entrySet()) {
                if (e.getValue() == null) continue;
                var leaf = leaves.get(e.getKey());
                s.history().append(new NewEvent(EventKinds.ACME_CERT_ISSUED, e.getKey(), "ok", Map.of("ca", e.getValue(), "staging", false,
                        "account", "https://127.0.0.1/acct/1", "names", List.of(e.getKey() + ".console.test"),
                        "serial", leaf.info().serial(), "notAfter", leaf.certificate().getNotAfter().toInstant().toString())));
            }
        }
    }

    @AfterAll
    static void stop() { nginx.close(); }

    @Start
    void start(Stage stage) { console = ConsoleWindow.open(stage, new Workspace(ws), dir); }

    @AfterEach
    void close() { console.close(); }

    @Test
    void theEstatesCaFilterShowsWhatPrimaryIssuedNotWhatIsConfiguredForIt(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 4);
        ComboBox<String> ca = robot.lookup("#estate-ca").queryAs(ComboBox.class);
        assertThat(ca.getItems()).contains("primary", "secondary");
        robot.clickOn("#estate-ca");
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").match((javafx.scene.control.ListCell<?> c) -> "primary".equals(c.getText())).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table.getItems().size() == 2);
        assertThat(table.getItems()).extracting(CertificateView::id).containsExactlyInAnyOrder("failed-over-to-primary", "on-primary");
    }

    @Test
    void theMassRevocationRunbookStartedWithCaPrimarySelectsExactlyWhatPrimaryIssued(FxRobot robot) throws Exception {
        robot.clickOn("#nav-runbooks");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("mass-revocation").tryQuery().isPresent());
        robot.clickOn("mass-revocation");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#param-ca").tryQuery().isPresent());
        ComboBox<String> ca = robot.lookup("#param-ca").queryAs(ComboBox.class);
        assertThat(ca.getItems()).contains("primary", "secondary");
        robot.interact(() -> ca.setValue("primary")); // the operator picks the revoking CA
        robot.clickOn("#runbook-start");
        ListView<?> steps = robot.lookup("#run-steps").queryAs(ListView.class);
        String selectLine = "Select the affected certificates";
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup((javafx.scene.control.Labeled l) -> l.getText() != null
                && l.getText().contains(selectLine) && l.getText().contains("selected")).tryQuery().isPresent());
        String shown = robot.lookup((javafx.scene.control.Labeled l) -> l.getText() != null && l.getText().contains(selectLine)).queryLabeled().getText();
        assertThat(shown).as("the select step in the run's step list (%d steps)", steps.getItems().size())
                .contains("2 certificates selected", "failed-over-to-primary", "on-primary")
                .doesNotContain("failed-over-to-secondary").doesNotContain("legacy");
    }
}

package dev.certops.app.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.ConsoleWindow;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.estate.CertificateView;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableRow;
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

/** The console's Estate over a real nginx: what clients reject and what diverged is red with its reason in the row, never green. */
@ExtendWith(ApplicationExtension.class)
class EstateVerdictConsoleTest {
    @TempDir static Path dir;
    static NginxFixture nginx;
    static Path ws;
    private ConsoleWindow console;

    @BeforeAll
    static void estate() throws Exception {
        var root = CertificateBuilder.ca("Console Root").build();
        var inter = CertificateBuilder.ca("Console Intermediate").signedBy(root).build();
        Instant now = Instant.now();
        nginx = NginxFixture.in(dir.resolve("nginx"));
        int good = FreePort.tcp();
        int self = FreePort.tcp();
        int diverged = FreePort.tcp();
        write(dir.resolve("good"), CertificateBuilder.leaf("good.console.test").signedBy(inter).build(), inter);
        write(dir.resolve("self"), CertificateBuilder.leaf("self.console.test").build(), null);
        nginx.addServer("good.console.test", good, dir.resolve("good/fullchain.pem"), dir.resolve("good/privkey.pem"));
        nginx.addServer("self.console.test", self, dir.resolve("self/fullchain.pem"), dir.resolve("self/privkey.pem"));
        // diverged: nginx serves release r1, then r2 goes live on disk without a reload
        Path certDir = Files.createDirectories(dir.resolve("host"));
        write(certDir.resolve("releases/r1"), CertificateBuilder.leaf("shop.console.test").signedBy(inter).build(), inter);
        Files.createSymbolicLink(certDir.resolve("live"), Path.of("releases/r1"));
        nginx.addServer("shop.console.test", diverged, certDir.resolve("live/fullchain.pem"), certDir.resolve("live/privkey.pem"));
        nginx.start();
        write(certDir.resolve("releases/r2"), CertificateBuilder.leaf("shop.console.test").validity(now.minusSeconds(60), now.plus(Duration.ofDays(85)))
                .signedBy(inter).build(), inter);
        Files.createSymbolicLink(certDir.resolve("live.tmp"), Path.of("releases/r2"));
        Files.move(certDir.resolve("live.tmp"), certDir.resolve("live"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("root.pem"), PemWriter.certificate(root.certificate()));
        ws = dir.resolve("ws");
        new Workspace(ws).create();
        Files.writeString(new Workspace(ws).configFile(), "trust: [" + dir.resolve("root.pem") + "]\n"
                + "hosts:\n  - { id: host1, address: local, certDir: " + certDir + " }\ncertificates:\n"
                + "  - { id: good, names: [good.console.test], endpoints: [{ host: 127.0.0.1, port: " + good + ", sni: good.console.test }] }\n"
                + "  - { id: self, names: [self.console.test], endpoints: [{ host: 127.0.0.1, port: " + self + ", sni: self.console.test }] }\n"
                + "  - { id: shop, names: [shop.console.test], endpoints: [{ host: 127.0.0.1, port: " + diverged + ", sni: shop.console.test }],"
                + " deploy: { waves: [[host1]] } }\n");
    }

    private static void write(Path d, CertificateBuilder.Issued leaf, CertificateBuilder.Issued inter) throws Exception {
        Files.createDirectories(d);
        Files.writeString(d.resolve("fullchain.pem"), inter == null ? PemWriter.certificate(leaf.certificate())
                : PemWriter.certificates(List.of(leaf.certificate(), inter.certificate())));
        Files.writeString(d.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
    }

    @AfterAll
    static void stop() { nginx.close(); }

    @Start
    void start(Stage stage) { console = ConsoleWindow.open(stage, new Workspace(ws), dir); }

    @AfterEach
    void close() { console.close(); }

    @Test
    void rejectedAndDivergedRowsAreRedWithTheirReasonAndTheGoodOneIsGreen(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        List<TableRow<CertificateView>> rows = robot.lookup("#estate-table .table-row-cell").queryAllAs(TableRow.class).stream()
                .filter(r -> r.getItem() != null).map(r -> (TableRow<CertificateView>) r).toList();
        assertThat(rows).hasSize(3);
        for (TableRow<CertificateView> r : rows) {
            String id = r.getItem().id();
            String text = robot.from(r).lookup(".table-cell").queryAllAs(javafx.scene.control.Labeled.class).stream()
                    .map(l -> l.getText() != null ? l.getText() : l.getGraphic() instanceof javafx.scene.text.Text t ? t.getText() : null) // a wrapping cell draws a Text
                    .filter(t -> t != null).reduce("", (a, b) -> a + " | " + b);
            boolean statusCellRed = robot.from(r).lookup(".status-rejected").tryQuery().isPresent() || robot.from(r).lookup(".status-diverged").tryQuery().isPresent();
            switch (id) {
                case "good" -> {
                    assertThat(text).contains("● ok");
                    assertThat(r.getStyleClass()).doesNotContain(EstateView.ALERT_ROW);
                    assertThat(robot.from(r).lookup(".status-ok").tryQuery()).isPresent();
                }
                case "self" -> {
                    assertThat(text).contains("● rejected", "self-signed certificate no client trusts");
                    assertThat(r.getStyleClass()).contains(EstateView.ALERT_ROW);
                    assertThat(statusCellRed).isTrue();
                }
                case "shop" -> {
                    assertThat(text).contains("● diverged", "divergence:", "live on disk");
                    assertThat(r.getStyleClass()).contains(EstateView.ALERT_ROW);
                    assertThat(statusCellRed).isTrue();
                }
                default -> throw new AssertionError("unexpected row " + id);
            }
            assertThat(robot.from(r).lookup(".status-ok").tryQuery().isPresent()).as(id + " is green only when ok").isEqualTo(id.equals("good"));
        }
        dev.certops.app.Screenshots.take((Stage) table.getScene().getWindow(), "estate-verdicts");
    }

    /** Keyboard focus is visible everywhere on the Estate: Tab through it, and whatever holds the focus wears the focus ring, in both themes. */
    @Test
    void tabbingThroughTheEstateShowsTheFocusRingOnEveryControlInTheLightAndTheDarkTheme(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        javafx.scene.Scene scene = table.getScene();
        robot.interact(() -> table.getSelectionModel().select(2)); // the selection's actions take the focus too
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#estate-renew").queryButton().isDisabled());
        for (var theme : java.util.Map.of(false, javafx.scene.paint.Color.web("#1d5fa0"), true, javafx.scene.paint.Color.web("#ffd166")).entrySet()) {
            robot.interact(() -> dev.certops.app.shell.Theme.apply(scene, theme.getKey(), false));
            robot.interact(() -> robot.lookup("#estate-filter").query().requestFocus());
            java.util.Set<String> visited = new java.util.LinkedHashSet<>();
            java.util.List<String> unmarked = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                WaitForAsyncUtils.waitForFxEvents();
                javafx.scene.Node owner = scene.getFocusOwner();
                String name = owner.getClass().getSimpleName() + (owner.getId() == null ? "" : "#" + owner.getId())
                        + (owner instanceof javafx.scene.control.Labeled l ? " '" + l.getText() + "'" : "");
                visited.add(name);
                javafx.scene.paint.Paint ring = WaitForAsyncUtils.asyncFx(() -> owner instanceof javafx.scene.layout.Region r && r.getBorder() != null
                        && !r.getBorder().getStrokes().isEmpty() ? r.getBorder().getStrokes().get(0).getTopStroke() : null).get(5, TimeUnit.SECONDS);
                if (!theme.getValue().equals(ring)) unmarked.add(name + " (border " + ring + ")");
                robot.type(javafx.scene.input.KeyCode.TAB);
            }
            assertThat(visited).as("Tab reaches the filters, the tiles, the table and the actions").hasSizeGreaterThan(8)
                    .anyMatch(n -> n.startsWith("TableView#estate-table")).anyMatch(n -> n.contains("#estate-filter")).anyMatch(n -> n.contains("#estate-renew"));
            assertThat(unmarked).as((theme.getKey() ? "dark" : "light") + " theme: focused without the focus ring").isEmpty();
        }
        robot.interact(() -> dev.certops.app.shell.Theme.apply(scene, false, false));
    }

    @Test
    void revokeHasNoDefaultReasonAndEnterCancelsRenewNowAsksFirst(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        assertThat(table.getItems()).extracting(CertificateView::id).as("worst first: rejected, diverged, ok").containsExactly("self", "shop", "good");
        robot.interact(() -> table.getSelectionModel().select(2));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#estate-revoke").queryButton().isDisabled());
        robot.clickOn("#estate-revoke");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#revoke-reason").tryQuery().isPresent());
        javafx.scene.control.ComboBox<String> reason = robot.lookup("#revoke-reason").queryComboBox();
        assertThat(reason.getValue()).as("no default reason").isNull();
        javafx.scene.control.Button revoke = robot.lookup(".dialog-pane .button").queryAllAs(javafx.scene.control.Button.class).stream()
                .filter(b -> b.getText().equals("Revoke")).findFirst().orElseThrow();
        assertThat(revoke.isDisabled()).isTrue();
        assertThat(revoke.isDefaultButton()).isFalse();
        robot.type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#revoke-reason").tryQuery().isEmpty());
        assertThat(robot.lookup("#estate-message").queryLabeled().getText()).doesNotContain("Revok");

        robot.clickOn("#estate-renew");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("Renew good now?").tryQuery().isPresent());
        robot.type(javafx.scene.input.KeyCode.ENTER); // Cancel is the default: nothing is issued
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("Renew good now?").tryQuery().isEmpty());
        assertThat(robot.lookup("#estate-message").queryLabeled().getText()).doesNotContain("Renewing");
    }

    /** shop has hosts but no stored version: Deploy… says why and what to do, and has no button that could deploy. */
    @Test
    void deployWithNoStoredVersionOnlySaysWhyAndHasNothingToPressButClose(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        robot.interact(() -> table.getSelectionModel().select(table.getItems().stream().filter(c -> c.id().equals("shop")).findFirst().orElseThrow()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#estate-deploy").queryButton().isDisabled());
        robot.clickOn("#estate-deploy");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("Nothing to deploy for shop").tryQuery().isPresent());
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        assertThat(pane.getButtonTypes()).containsExactly(javafx.scene.control.ButtonType.CLOSE);
        assertThat(dev.certops.app.VisibleText.findings(pane)).isEmpty();
        assertThat(pane.getContentText()).startsWith("Nothing can be deployed: ").endsWith("Press Renew now to issue a version first.");
        robot.type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
        assertThat(robot.lookup("#estate-message").queryLabeled().getText()).doesNotContain("Deploying");
    }
}

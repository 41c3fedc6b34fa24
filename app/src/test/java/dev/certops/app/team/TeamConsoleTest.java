package dev.certops.app.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.Screenshots;
import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.app.shell.ShellView;
import dev.certops.app.shell.ShellViewModel;
import dev.certops.config.Workspace;
import dev.certops.estate.CertificateView;
import dev.certops.lease.HeldLease;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real console (Monocle) beside a second console that takes a real lease on one certificate. */
@ExtendWith(ApplicationExtension.class)
class TeamConsoleTest {
    @TempDir static Path dir;
    private Workspace ws;
    private ShellViewModel vm;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        ws = new Workspace(dir.resolve("ws-" + System.nanoTime()));
        ws.create();
        Files.writeString(ws.configFile(), """
                certificates:
                  - { id: api, names: [api.example.test], endpoints: ["127.0.0.1:1"] }
                  - { id: shop, names: [shop.example.test], endpoints: ["127.0.0.1:2"] }
                  - { id: mail, names: [mail.example.test], endpoints: ["127.0.0.1:3"] }
                """);
        vm = new ShellViewModel(ws);
        ShellView shell = new ShellView(vm, new FxBackgroundExecutor(), () -> dir.resolve("export.csv"));
        stage.setScene(shell.scene());
        stage.show();
    }

    @AfterEach
    void close() { vm.close(); }

    @Test
    void aCertificateAnotherConsoleHoldsShowsItsHolderOnTheRowAndItsRenewIsDisabledWithTheReason(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        try (CompositionRoot alice = new CompositionRoot(ws, Map.of("USER", "alice"), Clock.systemUTC());
             HeldLease lease = alice.leases().acquire("shop", "deploy", "runbook primary-ca-outage, run 42")) {
            var found = new java.util.concurrent.atomic.AtomicReference<javafx.scene.control.TableCell<?, ?>>();
            alice.presence(); // alice's console is open too: the status bar lists her
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> {
                robot.lookup(".lease-held").tryQuery().ifPresent(n -> found.set((javafx.scene.control.TableCell<?, ?>) n));
                return found.get() != null;
            });
            WaitForAsyncUtils.waitForFxEvents(); // the Held by column appears with the first lease: let the table settle before clicking
            var badge = found.get();
            assertThat(badge.getText()).startsWith("alice@").endsWith(" · deploy");

            robot.clickOn(badge);
            WaitForAsyncUtils.waitForFxEvents();
            Button renew = robot.lookup("#estate-renew").queryButton();
            assertThat(renew.isDisabled()).isTrue();
            Node actions = robot.lookup("#estate-actions").query();
            String tooltip = WaitForAsyncUtils.asyncFx(() -> ((javafx.scene.control.Tooltip) actions.getProperties().get("javafx.scene.control.Tooltip")).getText())
                    .get(5, TimeUnit.SECONDS);
            assertThat(tooltip).startsWith("shop is held by alice@").endsWith("its actions wait until that lease is released.");
            assertThat(robot.lookup("#estate-held-note").queryLabeled().getText()).isEqualTo(tooltip);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#presence").queryLabeled().getText().contains("(holds shop)"));
            Screenshots.take(stage, "estate-held");

            robot.clickOn(robot.lookup(".table-row-cell").nth(0).<Node>query());
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(table.getSelectionModel().getSelectedItem().id()).isNotEqualTo("shop");
            assertThat(renew.isDisabled()).as("another certificate's renew is free").isFalse();
        }
    }
}

package dev.certops.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.config.Workspace;
import dev.certops.estate.CertificateView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
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

/** The real console, headless (Monocle): a workspace whose endpoints are down, scanned for real. */
@ExtendWith(ApplicationExtension.class)
class ConsoleTest {
    @TempDir static Path dir;
    private ShellViewModel vm;
    private ShellView shell;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Path ws = dir.resolve("ws-" + System.nanoTime());
        new Workspace(ws).create();
        Files.writeString(new Workspace(ws).configFile(), """
                certificates:
                  - { id: api, names: [api.example.test], endpoints: ["127.0.0.1:1"] }
                  - { id: shop, names: [shop.example.test], endpoints: ["127.0.0.1:2"] }
                  - { id: mail, names: [mail.example.test], endpoints: ["127.0.0.1:3"] }
                """);
        vm = new ShellViewModel(new Workspace(ws));
        shell = new ShellView(vm, new FxBackgroundExecutor(), () -> dir.resolve("export.csv"));
        stage.setScene(shell.scene());
        stage.show();
    }

    @AfterEach
    void close() { vm.close(); }

    @Test
    void theEstateIsScannedOnOpeningAndFiltersToOneCertificateWhoseDetailOpens(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        robot.clickOn("#estate-filter").write("shop");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems()).extracting(CertificateView::id).containsExactly("shop");
        robot.clickOn(shownRow(robot));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#estate-detail").queryParent().getChildrenUnmodifiable().toString()).contains("shop — unreachable");
        dev.certops.app.Screenshots.take(stage, "estate");
    }

    @Test
    void startRunbookFromTheEstateOpensTheRunbooksScreenWithTheCertificatePreFilled(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        robot.clickOn("#estate-filter").write("mail");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(shownRow(robot));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#estate-runbook").queryButton().isDisabled());
        robot.clickOn("#estate-runbook");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".choice-dialog").tryQuery().isPresent());
        robot.clickOn(robot.lookup(".choice-dialog .button").match((javafx.scene.control.Button b) -> b.isDefaultButton()).queryButton());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#param-certificate").tryQuery().isPresent());
        javafx.scene.control.ComboBox<?> cert = robot.lookup("#param-certificate").queryAs(javafx.scene.control.ComboBox.class);
        assertThat(cert.getValue()).isEqualTo("mail");
        assertThat(robot.lookup("#nav-runbooks").queryAs(javafx.scene.control.ToggleButton.class).isSelected()).isTrue();
        dev.certops.app.Screenshots.take(stage, "estate-start-runbook");
    }

    /** The first row drawn with a certificate (the table also keeps an invisible row it measures heights with). */
    private static javafx.scene.Node shownRow(FxRobot robot) {
        return robot.lookup("#estate-table .table-row-cell").match((javafx.scene.control.TableRow<?> r) -> r.isVisible() && r.getItem() != null
                && r.getParent() != null && r.getParent().isVisible()).query();
    }

    @Test
    void theHistoryScreenShowsEventsAndVerifiesTheChain(FxRobot robot) throws Exception {
        robot.clickOn("#nav-history");
        robot.clickOn("#history-verify");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#history-chain").queryLabeled().getText().startsWith("Audit chain intact"));
        TableView<?> t = robot.lookup("#history-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !t.getItems().isEmpty());
        dev.certops.app.Screenshots.take(stage, "history");
    }

    @Test
    void everyScreenOpensWithAUsefulState(FxRobot robot) throws Exception {
        for (String s : new String[] {"budget", "runbooks", "deployments", "settings"}) {
            robot.clickOn("#nav-" + s);
            WaitForAsyncUtils.waitForFxEvents();
            if (s.equals("runbooks")) WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("primary-ca-outage").tryQuery().isPresent());
            if (s.equals("budget")) assertThat(robot.lookup("#budget").tryQuery()).isPresent();
            dev.certops.app.Screenshots.take(stage, s.equals("deployments") ? "deployments-empty" : s);
        }
    }
}

package dev.certops.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.Screenshots;
import dev.certops.app.VisibleText;
import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.app.estate.EstateViewModel;
import dev.certops.estate.CertificateView;
import dev.certops.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
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

/**
 * The console at 3 a.m. (issue #17): the sandbox (two real Pebbles, sshd, nginx) with the primary CA
 * stopped, as the on-call engineer opens it. The urgent thing is first and every screen tells the truth
 * in words: the banner names the down CA and offers its runbook, the CA strip says down, the diverged and
 * the expiring certificates lead the table in red, a failed renew says why, and no screen shows internal text.
 */
@ExtendWith(ApplicationExtension.class)
class IncidentConsoleTest {
    @TempDir static Path dir;
    static Sandbox sandbox;
    private ShellViewModel vm;
    private ShellView shell;
    private Stage stage;

    @BeforeAll
    static void up() throws Exception {
        sandbox = new Sandbox(dir.resolve("sandbox"));
        sandbox.up();
        sandbox.breakPrimaryCa();
    }

    @AfterAll
    static void down() throws Exception {
        if (sandbox != null && sandbox.exists()) sandbox.down();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        vm = new ShellViewModel(sandbox.workspace());
        shell = new ShellView(vm, new FxBackgroundExecutor(), () -> dir.resolve("export.csv"));
        stage.setScene(shell.scene());
        stage.show();
    }

    @AfterEach
    void close() { vm.close(); }

    private TableView<CertificateView> estate(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> shell.estate().caHealth().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        return table;
    }

    @Test
    void aDownPrimaryCaIsTheBannerAndTheCaStripAndItsRunbookIsOneClickAway(FxRobot robot) throws Exception {
        estate(robot);
        Label primary = robot.lookup("#ca-primary").queryAs(Label.class);
        assertThat(primary.getText()).startsWith("● primary (primary) — down since").contains("connection refused");
        assertThat(primary.getStyleClass()).contains("ca-down");
        assertThat(robot.lookup("#ca-secondary").queryAs(Label.class).getText()).startsWith("● secondary — up, answered in");
        Label banner = robot.lookup("#incident-text").queryAs(Label.class);
        assertThat(banner.isVisible()).isTrue();
        assertThat(banner.getText()).startsWith("The primary CA primary is down since");
        Button act = robot.lookup("#incident-action").queryButton();
        assertThat(act.getText()).isEqualTo("Open the primary-ca-outage runbook for api");
        assertThat(robot.lookup("#renew-warning").queryAs(Label.class).getText()).as("the status bar leads with the same condition")
                .startsWith("The primary CA primary is down");
        Screenshots.take(stage, "incident-estate");

        robot.clickOn("#incident-action");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#param-certificate").tryQuery().isPresent());
        ComboBox<String> cert = robot.lookup("#param-certificate").queryComboBox();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> "api".equals(cert.getValue()));
        assertThat(robot.lookup("#runbook-start").queryButton().isDisabled()).isFalse();
        Screenshots.take(stage, "incident-runbook-offered");

        robot.clickOn("#nav-settings");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#settings-ca-health").tryQuery().isPresent());
        String health = robot.from(robot.lookup("#settings-ca-health").queryAs(javafx.scene.Node.class)).lookup(".label").queryAllAs(Label.class)
                .stream().map(Label::getText).reduce("", (a, b) -> a + "\n" + b);
        assertThat(health).contains("primary (primary) — down since", "secondary — up");
    }

    @Test
    void theDivergedAndTheExpiringCertificatesLeadInRedWithTheirReasonOnScreenAndTheHealthyOneIsLastAndGreen(FxRobot robot) throws Exception {
        TableView<CertificateView> table = estate(robot);
        var rootNode = (javafx.scene.layout.Region) stage.getScene().getRoot();
        assertThat(rootNode.minWidth(-1)).as("nothing forces the window wider than 1280 px").isLessThanOrEqualTo(1280);
        for (String id : List.of("#incident-action", "#estate-scan", "#estate-scanned")) {
            assertThat(robot.lookup(id).query().localToScene(robot.lookup(id).query().getLayoutBounds()).getMaxX()).as(id + " is on screen")
                    .isLessThanOrEqualTo(stage.getScene().getWidth());
        }
        Screenshots.take(stage, "estate-1280");
        assertThat(table.getItems()).extracting(CertificateView::id).containsExactly("shop", "api", "healthy");
        @SuppressWarnings("unchecked")
        List<TableRow<CertificateView>> rows = robot.lookup("#estate-table .table-row-cell").queryAllAs(TableRow.class).stream()
                .filter(r -> r.getItem() != null).map(r -> (TableRow<CertificateView>) r).toList();
        for (TableRow<CertificateView> r : rows) {
            String id = r.getItem().id();
            boolean green = robot.from(r).lookup(".status-ok").tryQuery().isPresent();
            assertThat(green).as(id + " is green only when ok").isEqualTo(id.equals("healthy"));
            switch (id) {
                case "shop" -> assertThat(r.getStyleClass()).contains("row-diverged", "estate-row-alert");
                case "api" -> assertThat(r.getStyleClass()).contains("row-" + r.getItem().status().label()).doesNotContain("row-ok");
                default -> assertThat(r.getStyleClass()).contains("row-ok");
            }
        }
        // at 1280 px the status and the reason are on screen: the attention column ends inside the table
        TableColumn<CertificateView, ?> attention = table.getColumns().stream().filter(c -> "estate-attention".equals(c.getId())).findFirst().orElseThrow();
        double right = 0;
        for (TableColumn<CertificateView, ?> c : table.getColumns()) {
            if (!c.isVisible()) continue;
            right += c.getWidth();
            if (c == attention) break;
        }
        assertThat(table.getScene().getWidth()).isLessThanOrEqualTo(1280);
        assertThat(right).as("the attention column's right edge").isLessThanOrEqualTo(table.getWidth());
        assertThat(robot.lookup("#estate-held").tryQuery()).as("no lease held: no empty Held by column").isEmpty();
        assertThat(robot.lookup("#tile-diverged").queryAs(javafx.scene.control.ToggleButton.class).getText()).isEqualTo("1 diverged");
        String api = table.getItems().get(1).status().label();
        assertThat(api).as("5 days left of a 35-day lifetime").isIn("critical", "emergency");
        assertThat(robot.lookup("#tile-" + api).queryAs(javafx.scene.control.ToggleButton.class).getText()).isEqualTo("1 " + api);
        assertThat(EstateViewModel.attention(table.getItems().get(1))).startsWith("expires in ");
        assertThat(robot.lookup("#estate-scanned").queryAs(Label.class).getText()).startsWith("scanned ").contains(" ago (at ");
        robot.clickOn("#tile-ok");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        assertThat(table.getItems().get(0).id()).isEqualTo("healthy");
        robot.clickOn("#tile-ok");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
    }

    @Test
    void aRenewThatFailsSaysWhyInRedWhereItWasStarted(FxRobot robot) throws Exception {
        TableView<CertificateView> table = estate(robot);
        sandbox.breakReload(); // the new certificate's deploy is not served: verification fails and rolls back
        try {
            robot.interact(() -> table.getSelectionModel().select(table.getItems().stream().filter(c -> c.id().equals("healthy")).findFirst().orElseThrow()));
            robot.clickOn("#estate-renew");
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("Renew healthy now?").tryQuery().isPresent());
            Button ok = robot.lookup(".dialog-pane .button").queryAllAs(Button.class).stream().filter(b -> b.getText().equals("OK")).findFirst().orElseThrow();
            assertThat(ok.isDefaultButton()).as("Enter cancels: OK is not the default").isFalse();
            robot.clickOn(ok);
            Label message = robot.lookup("#estate-message").queryAs(Label.class);
            WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> message.getText().startsWith("Renewal failed") && message.getText().contains("Rescanned"));
            assertThat(message.getText()).contains("healthy: FAILED at deploy —").doesNotContain("History has the reason");
            assertThat(message.getStyleClass()).contains("message-failed");
            Screenshots.take(stage, "incident-renew-failed");
        } finally {
            Files.deleteIfExists(sandbox.dir().resolve("break-reload"));
        }
    }

    @Test
    void noScreenShowsInternalTextOrCommandLines(FxRobot robot) throws Exception {
        estate(robot);
        List<String> found = new ArrayList<>();
        for (String screen : List.of("estate", "budget", "runbooks", "deployments", "history", "settings", "approvals")) {
            robot.clickOn("#nav-" + screen);
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> shellIdle());
            WaitForAsyncUtils.waitForFxEvents();
            if (screen.equals("runbooks")) {
                robot.clickOn("primary-ca-outage");
                WaitForAsyncUtils.waitForFxEvents();
            }
            if (screen.equals("history")) {
                TableView<?> h = robot.lookup("#history-table").queryAs(TableView.class);
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !h.getItems().isEmpty());
                robot.interact(() -> h.getSelectionModel().select(0));
            }
            Screenshots.take(stage, "screen-" + screen);
            VisibleText.findings(stage.getScene().getRoot()).forEach(f -> found.add(screen + ": " + f));
        }
        assertThat(found).isEmpty();
    }

    /**
     * The screenshots of docs/screenshots (light and dark, 1366×768, the incident in progress): every screen fits the
     * laptop's window — nothing forces it wider, the status bar is inside it — in both themes.
     */
    @Test
    void onA1366By768LaptopEveryScreenFitsInTheLightAndTheDarkTheme(FxRobot robot) throws Exception {
        estate(robot);
        // the headless screen is 1280×800: the laptop's window is a scene of its own, laid out and drawn off-screen
        javafx.scene.Scene laptop = WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Parent root = stage.getScene().getRoot();
            java.util.List<String> css = List.copyOf(stage.getScene().getStylesheets());
            stage.getScene().setRoot(new javafx.scene.layout.Pane());
            javafx.scene.Scene s = new javafx.scene.Scene(root, 1366, 768);
            s.getStylesheets().setAll(css);
            return s;
        }).get(10, TimeUnit.SECONDS);
        for (boolean dark : List.of(false, true)) {
            robot.interact(() -> Theme.apply(laptop, dark, false));
            for (String screen : List.of("Estate", "Budget", "Runbooks", "Deployments", "History", "Settings")) {
                robot.interact(() -> shell.select(screen));
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ((Label) laptop.lookup("#running")).getText().equals("idle"));
                double[] fit = WaitForAsyncUtils.asyncFx(() -> {
                    javafx.scene.layout.Region root = (javafx.scene.layout.Region) laptop.getRoot();
                    root.applyCss();
                    root.layout();
                    javafx.scene.Node bar = laptop.lookup("#running");
                    return new double[] {root.minWidth(-1), bar.localToScene(bar.getLayoutBounds()).getMaxY()};
                }).get(10, TimeUnit.SECONDS);
                assertThat(fit[0]).as(screen + ": nothing forces the window wider than 1366 px").isLessThanOrEqualTo(1366);
                assertThat(fit[1]).as(screen + ": the status bar is inside 768 px").isLessThanOrEqualTo(768);
                Screenshots.take(laptop, "sandbox-" + screen.toLowerCase(java.util.Locale.ROOT) + (dark ? "-dark" : ""));
            }
        }
    }

    private boolean shellIdle() {
        return ((Label) stage.getScene().lookup("#running")).getText().equals("idle");
    }
}

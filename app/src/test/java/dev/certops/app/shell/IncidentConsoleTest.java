package dev.certops.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.Screenshots;
import dev.certops.app.VisibleText;
import dev.certops.app.ConsoleWindow;
import dev.certops.app.IncidentSandbox;
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
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class) // docs/ screenshots first: the incident before anyone acts
class IncidentConsoleTest {
    @TempDir static Path dir;
    static Sandbox sandbox;
    private ConsoleWindow console;
    private ShellView shell;
    private Stage stage;

    @BeforeAll
    static void up() throws Exception { sandbox = IncidentSandbox.up(); }

    @AfterAll
    static void down() throws Exception { IncidentSandbox.down(sandbox); }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        console = ConsoleWindow.open(stage, sandbox.workspace(), dir);
        shell = console.shell();
    }

    @AfterEach
    void close() { console.close(); }

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
        assertThat(banner.getText()).startsWith("The primary CA is down since");
        Button act = robot.lookup("#incident-action").queryButton();
        assertThat(act.getText()).isEqualTo("Open the primary-ca-outage runbook for api");
        assertThat(robot.lookup("#renew-warning").queryAs(Label.class).getText()).as("the status bar leads with the same condition")
                .startsWith("The primary CA is down");
        Screenshots.take(stage, "incident-estate");

        robot.clickOn("#incident-action");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#param-certificate").tryQuery().isPresent());
        ComboBox<String> cert = robot.lookup("#param-certificate").queryComboBox();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> "api".equals(cert.getValue()));
        // the picker lists every certificate with its status from the scan, worst first, and offers nothing else
        assertThat(cert.isEditable()).isFalse();
        assertThat(cert.getItems()).containsExactly("shop", "api", "healthy");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(((javafx.scene.control.ListCell<?>) cert.getButtonCell()).getText()).matches("api — (critical|emergency): expires in \\d+ days?");
        assertThat(robot.lookup("certificate *").queryLabeled().getWidth()).as("the parameter's name is not cut")
                .isGreaterThanOrEqualTo(robot.lookup("certificate *").queryLabeled().prefWidth(-1) - 0.5);
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
            Button ok = robot.lookup(".dialog-pane .button").queryAllAs(Button.class).stream().filter(b -> b.getText().equals("Renew healthy now")).findFirst().orElseThrow();
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
        // the confirmations: what Renew now, Deploy, Revoke and Roll back say before they act
        robot.clickOn("#nav-estate");
        TableView<CertificateView> table = estate(robot);
        robot.interact(() -> table.getSelectionModel().select(table.getItems().stream().filter(c -> c.id().equals("healthy")).findFirst().orElseThrow()));
        String renew = dialogText(robot, "#estate-renew", "Renew healthy now?", found);
        assertThat(renew).as("Renew now says the certificate, its CAs and its hosts")
                .contains("A new certificate for healthy (healthy.sandbox.test", "from CA primary (https://127.0.0.1:", "failing over to secondary", "web1 → a new release in ");
        // the sandbox's first releases were put there by hand (no stored version) unless a renew stored one: either way it says what happens
        boolean stored = WaitForAsyncUtils.asyncFx(() -> !shell.estate().deployConfirmation().startsWith("Nothing can be deployed")).get(10, TimeUnit.SECONDS);
        String deploy = dialogText(robot, "#estate-deploy", stored ? "Deploy healthy?" : "Nothing to deploy for healthy", found);
        if (!stored) assertThat(deploy).contains("Press Renew now to issue a version first.").doesNotContain("Deploy healthy");
        else assertThat(deploy).as("Deploy says the version, its CA and the release folder from the plan")
                .containsPattern("healthy version \\d+, issued by \\S+, goes live").contains("web1 → " + sandbox.dir().resolve("hosts/web1") + "/releases/");
        dialogText(robot, "#estate-revoke", "Revoke healthy? This cannot be undone.", found);
        String rollback = dialogText(robot, "#estate-rollback", "Roll back healthy on web1?", found);
        assertThat(rollback).as("Roll back says what comes back, what is refused and how it is undone")
                .contains("web1 goes back to the release of healthy it served before the last deploy", "refuses if that certificate has expired or was revoked",
                        "Nothing is deleted", "To undo, deploy it again with Deploy… on the Estate.", "Roll back web1");
        assertThat(found).isEmpty();
    }

    /**
     * At primary-ca-outage's issue gate: the preview says what will be issued, and Skip… and Abort… each say what they do
     * (Skip needs a reason; Abort cannot be resumed) in words, with Cancel as the default so that Enter does nothing.
     */
    @Test
    void atTheIssueGateSkipAndAbortSayWhatTheyDoAndEnterCancelsBoth(FxRobot robot) throws Exception {
        TableView<CertificateView> table = estate(robot);
        List<String> found = new ArrayList<>();
        robot.interact(() -> table.getSelectionModel().select(table.getItems().stream().filter(c -> c.id().equals("api")).findFirst().orElseThrow()));
        robot.interact(() -> shell.estate().openRunbook("primary-ca-outage", "api"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#runbook-start").tryQuery().map(n -> !((Button) n).isDisabled()).orElse(false));
        robot.clickOn("#runbook-start");
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !robot.lookup("#run-approve").queryButton().isDisabled());
        WaitForAsyncUtils.waitForFxEvents();
        String preview = robot.lookup("#run-preview").queryAs(javafx.scene.layout.VBox.class).getChildren().stream()
                .map(n -> ((Label) n).getText()).reduce("", (x, y) -> x + "\n" + y);
        assertThat(preview).as("the issue gate's preview").contains("Changes the world: Issue 1 certificate", "from CA 'secondary'");
        Screenshots.take(stage, "incident-gate-preview");
        VisibleText.findings(stage.getScene().getRoot()).forEach(f -> found.add("gate preview: " + f));

        javafx.scene.control.DialogPane skip = openDialog(robot, "#run-skip", "Skip \u201cIssue the certificate from the secondary CA\u201d?", found);
        assertThat(VisibleText.of(skip).stream().map(t -> t[1]).toList()).as("what a skip does, and that it needs a reason")
                .contains("This step does not run, so nothing it would have changed is changed; the run continues with the next step. "
                        + "The reason goes into the history and the run's report. To do the step after all, start the runbook again.",
                        "why it is skipped (required)", "Skip the step");
        assertThat(button(skip, "Skip the step").isDisabled()).as("no reason, no skip").isTrue();
        robot.clickOn("#skip-reason").write("x");
        assertThat(button(skip, "Skip the step").isDisabled()).isFalse();
        robot.type(javafx.scene.input.KeyCode.ENTER); // a reason typed and Enter pressed: still nothing is skipped
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
        assertThat(robot.lookup("#run-status").queryLabeled().getText()).startsWith("waiting approval");

        javafx.scene.control.DialogPane abort = openDialog(robot, "#run-abort", "Abort the run?", found);
        assertThat(VisibleText.of(abort).stream().map(t -> t[1]).toList()).contains("Abort the run", "Cancel");
        assertThat(VisibleText.of(abort).stream().map(t -> t[1]).reduce("", String::concat)).contains("it cannot be resumed", "start the runbook again");
        robot.clickOn(button(abort, "Abort the run"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#run-status").queryLabeled().getText().startsWith("aborted"));
        assertThat(found).isEmpty();
    }

    /** Opens the dialog of {@code button}, checks its text (walk, nothing cut short, Cancel the default) and screenshots it. */
    private static javafx.scene.control.DialogPane openDialog(FxRobot robot, String button, String header, List<String> found) throws Exception {
        // under load a click can meet the button disabled again for a moment (a rescan): click again until the dialog is up
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            if (robot.lookup(header).tryQuery().isPresent()) return true;
            if (robot.lookup(button).queryButton().isDisabled()) return false;
            robot.clickOn(button);
            WaitForAsyncUtils.waitForFxEvents(); // the click's handler has run: its dialog is showing, or the click was lost
            try {
                WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> robot.lookup(header).tryQuery().isPresent());
                return true;
            } catch (java.util.concurrent.TimeoutException lost) {
                return false;
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        VisibleText.findings(pane).forEach(f -> found.add(header + " " + f));
        WaitForAsyncUtils.asyncFx(() -> VisibleText.cutShort(pane)).get(10, TimeUnit.SECONDS).forEach(t -> found.add(header + " cut short: " + t));
        if (pane.getButtonTypes().contains(javafx.scene.control.ButtonType.CANCEL)) {
            assertThat(button(pane, "Cancel").isDefaultButton()).as(header + ": Cancel is the default (Enter does nothing)").isTrue();
        } else {
            assertThat(pane.getButtonTypes()).as(header + ": a dialog without Cancel only informs").containsExactly(javafx.scene.control.ButtonType.CLOSE);
        }
        Screenshots.take(pane.getScene().getWindow(), "dialog-" + button.substring(1));
        return pane;
    }

    private static Button button(javafx.scene.control.DialogPane pane, String text) {
        return pane.getButtonTypes().stream().map(b -> (Button) pane.lookupButton(b)).filter(b -> b.getText().equals(text)).findFirst().orElseThrow();
    }

    /** Opens a confirmation with {@code button}, reads every text in it into the walk, and cancels it (nothing happens). */
    private static String dialogText(FxRobot robot, String button, String header, List<String> found) throws Exception {
        javafx.scene.control.DialogPane pane = openDialog(robot, button, header, found);
        String text = VisibleText.of(pane).stream().map(t -> t[1]).reduce("", (x, y) -> x + "\n" + y);
        robot.clickOn(button(pane, pane.getButtonTypes().contains(javafx.scene.control.ButtonType.CANCEL) ? "Cancel" : "Close"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(header).tryQuery().isEmpty());
        return text;
    }

    /**
     * The screenshots of docs/screenshots (light and dark, 1366×768, the incident in progress): every screen fits the
     * laptop's window — nothing forces it wider, the status bar is inside it — in both themes.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void onA1366By768LaptopEveryScreenFitsInTheLightAndTheDarkTheme(FxRobot robot) throws Exception {
        estate(robot);
        // the headless screen is 1280×800: the laptop's window is a scene of its own, laid out and drawn off-screen
        javafx.scene.Scene laptop = offScreen(1366, 768);
        for (boolean dark : List.of(false, true)) {
            robot.interact(() -> Theme.apply(laptop, dark, false));
            for (String screen : List.of("Estate", "Budget", "Runbooks", "Deployments", "History", "Settings")) {
                robot.interact(() -> shell.select(screen));
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ((Label) laptop.lookup("#running")).getText().equals("idle"));
                double[] fit = fit(laptop);
                if (screen.equals("Runbooks")) catalogueTitlesAreWhole(laptop);
                assertThat(fit[0]).as(screen + ": nothing forces the window wider than 1366 px").isLessThanOrEqualTo(1366);
                assertThat(fit[1]).as(screen + ": the status bar is inside 768 px").isLessThanOrEqualTo(768);
                Screenshots.take(laptop, "sandbox-" + screen.toLowerCase(java.util.Locale.ROOT) + (dark ? "-dark" : ""));
            }
        }
    }

    /**
     * At 2× scale a window has half the pixels in each direction: a 2560×1440 screen at 2× is a 1280×720 window. Every
     * screen fits it (nothing forces it wider, the status bar is inside), and drawn at 2× it fills the 2560×1440 pixels.
     * (Monocle's headless screen has a fixed scale of 1, so the 2× window is laid out as its own scene and snapshotted at 2×.)
     */
    @Test
    void atTwiceTheScaleOnA2560By1440ScreenEveryScreenFitsAndIsDrawnAtFullResolution(FxRobot robot) throws Exception {
        estate(robot);
        javafx.scene.Scene window = offScreen(1280, 720);
        for (String screen : List.of("Estate", "Budget", "Runbooks", "Deployments", "History", "Settings")) {
            robot.interact(() -> shell.select(screen));
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ((Label) window.lookup("#running")).getText().equals("idle"));
            double[] fit = fit(window);
            assertThat(fit[0]).as(screen + ": nothing forces the window wider than 1280 px").isLessThanOrEqualTo(1280);
            assertThat(fit[1]).as(screen + ": the status bar is inside 720 px").isLessThanOrEqualTo(720);
            javafx.scene.image.WritableImage image = WaitForAsyncUtils.asyncFx(() -> {
                javafx.scene.SnapshotParameters p = new javafx.scene.SnapshotParameters();
                p.setTransform(javafx.scene.transform.Transform.scale(2, 2));
                return window.getRoot().snapshot(p, null);
            }).get(10, TimeUnit.SECONDS);
            assertThat(image.getWidth()).as(screen + " drawn at 2×").isEqualTo(2560);
            assertThat(image.getHeight()).isEqualTo(1440);
        }
    }

    /** The shell moved into a scene of its own of {@code w}×{@code h} (the headless screen is 1280×800), with the same stylesheets. */
    private javafx.scene.Scene offScreen(double w, double h) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Parent root = stage.getScene().getRoot();
            java.util.List<String> css = List.copyOf(stage.getScene().getStylesheets());
            stage.getScene().setRoot(new javafx.scene.layout.Pane());
            javafx.scene.Scene s = new javafx.scene.Scene(root, w, h);
            s.getStylesheets().setAll(css);
            return s;
        }).get(10, TimeUnit.SECONDS);
    }

    /** {the root's minimum width, the status bar's bottom edge} after a layout pass. */
    private static double[] fit(javafx.scene.Scene scene) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.layout.Region root = (javafx.scene.layout.Region) scene.getRoot();
            root.applyCss();
            root.layout();
            javafx.scene.Node bar = scene.lookup("#running");
            return new double[] {root.minWidth(-1), bar.localToScene(bar.getLayoutBounds()).getMaxY()};
        }).get(10, TimeUnit.SECONDS);
    }

    /** Every runbook's title in the catalogue is shown whole: wrapped inside its cell, never cut to "…". */
    private static void catalogueTitlesAreWhole(javafx.scene.Scene scene) throws Exception {
        List<String> problems = WaitForAsyncUtils.asyncFx(() -> {
            List<String> out = new ArrayList<>();
            TableView<?> t = (TableView<?>) scene.lookup("#runbook-table");
            for (Object item : t.getItems()) {
                String title = ((dev.certops.runbook.RunbookCatalog.Entry) item).title();
                var cell = t.lookupAll(".table-cell").stream().map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                        .filter(c -> title.equals(c.getItem())).findFirst();
                if (cell.isEmpty()) {
                    out.add(title + ": no cell shows it");
                    continue;
                }
                // what is drawn: the cell's text node (a Labeled's own text is cut to "…" when it does not fit)
                var text = texts(cell.get()).stream().filter(x -> x.isVisible() && !x.getText().isEmpty()).findFirst();
                if (text.isEmpty() || !text.get().getText().equals(title)) {
                    out.add(title + ": shown as '" + text.map(javafx.scene.text.Text::getText).orElse("") + "'");
                    continue;
                }
                var b = cell.get().sceneToLocal(text.get().localToScene(text.get().getLayoutBounds()));
                if (b.getMaxX() > cell.get().getWidth() + 0.5 || b.getMaxY() > cell.get().getHeight() + 0.5) {
                    out.add(title + ": drawn past its cell (" + b + " in " + cell.get().getWidth() + "×" + cell.get().getHeight() + ")");
                }
            }
            return out;
        }).get(10, TimeUnit.SECONDS);
        assertThat(problems).isEmpty();
    }

    private static List<javafx.scene.text.Text> texts(javafx.scene.Node n) {
        List<javafx.scene.text.Text> out = new ArrayList<>();
        if (n instanceof javafx.scene.text.Text t) out.add(t);
        if (n instanceof javafx.scene.Parent p) p.getChildrenUnmodifiable().forEach(c -> out.addAll(texts(c)));
        return out;
    }

    private boolean shellIdle() {
        return ((Label) stage.getScene().lookup("#running")).getText().equals("idle");
    }
}

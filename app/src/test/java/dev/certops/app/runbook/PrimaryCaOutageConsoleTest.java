package dev.certops.app.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.Screenshots;
import dev.certops.app.ConsoleWindow;
import dev.certops.app.IncidentSandbox;
import dev.certops.estate.CertificateView;
import dev.certops.estate.EstateService;
import dev.certops.estate.Status;
import dev.certops.runbook.StepState;
import dev.certops.sandbox.Sandbox;
import dev.certops.root.CompositionRoot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue #9's "done means", in the console: the sandbox (two real Pebbles, challtestsrv, sshd, nginx)
 * with the primary CA broken; primary-ca-outage is started for the expiring certificate and walked
 * through its approve gates by clicking; the certificate ends up issued by the secondary CA, deployed
 * over SSH and served by nginx. The wall time from "sandbox up" to the finished run is printed.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class) // the recovery first, then what a rollback of it would say
class PrimaryCaOutageConsoleTest {
    @TempDir static Path dir;
    private static Sandbox sandbox;
    private ConsoleWindow console;
    private Stage stage;
    private static long t0;

    /** Started once, outside the FX start-up (which has a time limit a loaded machine can exceed). */
    @org.junit.jupiter.api.BeforeAll
    static void up() throws Exception {
        t0 = System.nanoTime();
        sandbox = IncidentSandbox.up();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        console = ConsoleWindow.open(stage, sandbox.workspace(), dir);
    }

    @AfterEach
    void close() {
        if (console != null) console.close();
    }

    @org.junit.jupiter.api.AfterAll
    static void down() throws Exception {
        IncidentSandbox.down(sandbox);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void theExpiringCertificateIsRecoveredThroughTheSecondaryCaByApprovingEachGate(FxRobot robot) throws Exception {
        robot.clickOn("#nav-runbooks");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("primary-ca-outage").tryQuery().isPresent());
        robot.clickOn("primary-ca-outage");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#param-certificate").tryQuery().isPresent());
        ComboBox<String> cert = robot.lookup("#param-certificate").queryComboBox();
        assertThat(cert.getItems()).contains("api", "healthy", "shop");
        robot.interact(() -> cert.getSelectionModel().select("api"));
        robot.clickOn("#runbook-start");

        awaitGate(robot, 60);
        assertThat(previewText(robot)).as("the issue step names the secondary CA").contains("secondary");
        ListView<StepState> steps = robot.lookup("#run-steps").queryListView();
        assertThat(steps.getItems().get(0).outputs()).containsEntry("reachable", false);
        Screenshots.take(stage, "runbook-primary-ca-outage");
        int gates = 0;
        while (!robot.lookup("#run-status").queryLabeled().getText().startsWith("succeeded")) {
            assertThat(robot.lookup("#run-status").queryLabeled().getText()).as(robot.lookup("#run-message").queryLabeled().getText()).startsWith("waiting approval");
            robot.clickOn("#run-approve");
            gates++;
            WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> {
                String s = robot.lookup("#run-status").queryLabeled().getText();
                return !robot.lookup("#run-approve").queryButton().isDisabled() || s.startsWith("succeeded") || s.startsWith("failed");
            });
            WaitForAsyncUtils.waitForFxEvents();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Screenshots.take(stage, "runbook-primary-ca-outage-done");
        assertThat(steps.getItems()).extracting(StepState::status).containsOnly(StepState.Status.SUCCEEDED);
        assertThat(gates).as("issue and deploy-canary; deploy-rest has no host (api's only wave is the canary): not asked").isEqualTo(2);
        ListView<String> log = robot.lookup("#run-log").queryListView();
        assertThat(log.getItems()).anySatisfy(l -> assertThat(l).contains("no approval asked — Deploy to no host — nothing will change"));
        assertThat(robot.lookup("#run-message").queryLabeled().getText()).as("the end screen summarises the result")
                .startsWith("The run succeeded in ").contains("The Estate, Budget and History read the new state now.");
        // the end screen: what was recovered, in labelled facts, read from the run's report
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#run-summary").tryQuery().map(javafx.scene.Node::isVisible).orElse(false));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#run-summary-headline").queryLabeled().getText()).isEqualTo("Recovered for api: issued by secondary, served and verified on 1 host.");
        assertThat(robot.lookup("#fact-new-serial").queryLabeled().getText()).matches("[0-9a-f]{8,}");
        assertThat(robot.lookup("#fact-ca").queryLabeled().getText()).isEqualTo("secondary");
        assertThat(robot.lookup("#fact-expires").queryLabeled().getText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} .* \\(in \\d+ days?\\)");
        assertThat(robot.lookup("#fact-hosts-verified").queryLabeled().getText()).isEqualTo("1 host: web2");
        assertThat(robot.lookup("#fact-time-to-recover").queryLabeled().getText()).doesNotStartWith("not recovered");
        Screenshots.take(stage, "runbook-primary-ca-outage-summary");
        String runId = robot.lookup("#run-status").queryLabeled().getText().replaceFirst("^.* · run ", "");
        robot.clickOn("#run-open-report");
        java.nio.file.Path report = sandbox.workspace().root().resolve("reports").resolve(runId).resolve("report.html");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> java.nio.file.Files.exists(report));
        assertThat(java.nio.file.Files.readString(report)).contains("secondary", "web2");
        // the message follows once the report is written and handed to the desktop: on the FX thread, a moment after the file
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#run-message").queryLabeled().getText().startsWith("The report is in "));
        assertThat(robot.lookup("#run-message").queryLabeled().getText()).startsWith("The report is in " + report.getParent());
        // Show api in the Estate: the row is selected, and the Estate reads the new state by itself: no F5
        robot.clickOn("#run-show-estate");
        javafx.scene.control.TableView<CertificateView> estate = robot.lookup("#estate-table").queryAs(javafx.scene.control.TableView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> estate.getItems().stream()
                .anyMatch(c -> c.id().equals("api") && c.status() == Status.OK && c.ca().equals("secondary")));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> estate.getSelectionModel().getSelectedItem() != null
                && estate.getSelectionModel().getSelectedItem().id().equals("api"));
        Screenshots.take(stage, "estate-after-recovery");
        try (CompositionRoot s = new CompositionRoot(sandbox.workspace(), Map.of("USER", "tester"), Clock.systemUTC())) {
            CertificateView api = new EstateService(s).scan().certificates().stream().filter(c -> c.id().equals("api")).findFirst().orElseThrow();
            assertThat(api.status()).isEqualTo(Status.OK);
            assertThat(api.ca()).isEqualTo("secondary");
            assertThat(api.diverged()).isFalse();
        }
        robot.clickOn("#nav-deployments");
        javafx.scene.control.TableView<dev.certops.app.deploy.DeploymentsViewModel.HostRow> deployments = robot.lookup("#deployments-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> deployments.getItems().stream()
                .anyMatch(r -> r.certificateId().equals("api") && r.hostId().equals("web2") && r.state() == dev.certops.deploy.HostState.VERIFIED));
        Screenshots.take(stage, "deployments");
        robot.clickOn("#nav-settings");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#settings-hosts").queryTableView().getItems().size() == 3);
        Screenshots.take(stage, "settings-sandbox");
        System.out.printf("PrimaryCaOutageConsoleTest: sandbox up -> primary-ca-outage succeeded in the console in %.1f s (issue #9 target: < 120 s)%n", seconds);
        assertThat(seconds).as("issue #9: under 2 minutes from sandbox up").isLessThan(120);
    }

    /**
     * After the recovery, a new console's Deployments screen (read from history) offers to roll api back on web2: the
     * confirmation says what comes back, what is refused and how to undo it, in words, and Enter cancels it.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void afterTheRecoveryRollingBackApiOnWeb2AsksFirstSayingWhatComesBackAndHowToUndoIt(FxRobot robot) throws Exception {
        robot.clickOn("#nav-deployments");
        javafx.scene.control.TableView<dev.certops.app.deploy.DeploymentsViewModel.HostRow> deployments = robot.lookup("#deployments-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> deployments.getItems().stream()
                .anyMatch(r -> r.certificateId().equals("api") && r.hostId().equals("web2")));
        robot.interact(() -> deployments.getSelectionModel().select(deployments.getItems().stream()
                .filter(r -> r.certificateId().equals("api") && r.hostId().equals("web2")).findFirst().orElseThrow()));
        robot.clickOn("#deployments-rollback");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("Roll back api on web2?").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        assertThat(dev.certops.app.VisibleText.findings(pane)).isEmpty();
        assertThat(WaitForAsyncUtils.asyncFx(() -> dev.certops.app.VisibleText.cutShort(pane)).get(10, TimeUnit.SECONDS)).as("every text shown whole").isEmpty();
        String text = String.join("\n", dev.certops.app.VisibleText.of(pane).stream().map(t -> t[1]).toList());
        assertThat(text).contains("web2 goes back to the release of api it served before the last deploy: the previous certificate is served again.",
                "refuses if that certificate has expired or was revoked", "To undo, deploy it again with Deploy… on the Estate.", "Roll back web2");
        javafx.scene.control.Button cancel = (javafx.scene.control.Button) pane.lookupButton(javafx.scene.control.ButtonType.CANCEL);
        assertThat(cancel.isDefaultButton()).as("Enter cancels").isTrue();
        robot.type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#deployments-message").queryLabeled().getText()).as("nothing was rolled back").isEmpty();
    }

    private static void awaitGate(FxRobot robot, int seconds) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> !robot.lookup("#run-approve").queryButton().isDisabled()
                || robot.lookup("#run-status").queryLabeled().getText().startsWith("failed"));
        WaitForAsyncUtils.waitForFxEvents(); // the screen update that enabled the button has finished: status and message are its own
        assertThat(robot.lookup("#run-status").queryLabeled().getText()).as(robot.lookup("#run-message").queryLabeled().getText()).startsWith("waiting approval");
    }

    private static String previewText(FxRobot robot) {
        StringBuilder b = new StringBuilder();
        for (var n : robot.lookup("#run-preview").queryAs(VBox.class).getChildren()) if (n instanceof Label l) b.append(l.getText()).append('\n');
        return b.toString();
    }
}

package dev.certops.app.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.Screenshots;
import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.app.shell.ShellView;
import dev.certops.app.shell.ShellViewModel;
import dev.certops.config.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The guided run on the real screen (headless), over the real engine with note steps: nothing on the network. */
@ExtendWith(ApplicationExtension.class)
class RunScreenTest {
    @TempDir static Path dir;
    private ShellViewModel vm;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Workspace ws = new Workspace(dir.resolve("ws-" + System.nanoTime()));
        ws.create();
        Files.writeString(ws.configFile(), "certificates:\n  - { id: api, names: [api.example.test] }\n");
        Files.createDirectories(ws.runbooksDir());
        Files.writeString(ws.runbooksDir().resolve("announce.yaml"), """
                name: announce
                title: Announce a certificate change to the team
                summary: Notes the start, waits for your approval, then records the announcement.
                params:
                  - { name: certificate, type: certificate, required: true, description: the certificate that changes }
                steps:
                  - id: start
                    title: Note the start
                    action: note
                    with: { text: "change of ${param.certificate} starts" }
                  - id: announce
                    title: Announce the change in the incident channel
                    action: note
                    with: { text: "announced ${param.certificate}" }
                    gate: approve
                    guide: |
                      **Why:** people on call must know before anything changes.
                      - Post in *#incidents* that `${param.certificate}` is being replaced.
                      - Wait for an acknowledgement, then approve.
                  - id: confirm
                    title: Confirm the announcement was read
                """);
        vm = new ShellViewModel(ws);
        ShellView shell = new ShellView(vm, new FxBackgroundExecutor(), () -> dir.resolve("export.csv"));
        stage.setScene(shell.scene());
        stage.show();
    }

    @AfterEach
    void close() { vm.close(); }

    private void startAnnounce(FxRobot robot, boolean drill) throws Exception {
        robot.clickOn("#nav-runbooks");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("announce").tryQuery().isPresent());
        robot.clickOn("announce");
        // a click while the catalogue is still being laid out can miss under load: click again until the form opens
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            if (robot.lookup("#param-certificate").tryQuery().isPresent()) return true;
            robot.clickOn("announce");
            return false;
        });
        if (drill) robot.clickOn("#runbook-drill");
        robot.clickOn("#runbook-start");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !robot.lookup("#run-approve").queryButton().isDisabled());
    }

    private static boolean showing(FxRobot robot, String text) {
        return robot.lookup((javafx.scene.control.Labeled l) -> l.getText() != null && l.getText().contains(text)).tryQuery().isPresent();
    }

    @Test
    void aRunStartedFromTheCatalogueStopsAtTheGateShowingGuideAndPreviewAndFinishesOnApprove(FxRobot robot) throws Exception {
        startAnnounce(robot, false);
        assertThat(robot.lookup("#run-preview").queryAs(javafx.scene.layout.VBox.class).getChildren())
                .anyMatch(n -> n instanceof Label l && l.getText().equals("announced api"));
        assertThat(robot.lookup(".guide-bold").tryQuery()).isPresent();
        assertThat(robot.lookup((javafx.scene.text.Text t) -> t.getText().equals("api") && t.getStyleClass().contains("guide-code")).tryQuery())
                .as("the guide's ${param.certificate} reads as the run's value").isPresent();
        assertThat(robot.lookup("#run-retry").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#drill-banner").query().isVisible()).isFalse();
        Screenshots.take(stage, "runbook-run");
        robot.clickOn("#run-approve");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#run-status").queryLabeled().getText().startsWith("waiting approval")
                && robot.lookup("#run-message").queryLabeled().getText().contains("Waiting for your approval")
                && showing(robot, "Confirm the announcement was read"));
        robot.clickOn("#run-approve");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#run-status").queryLabeled().getText().startsWith("succeeded"));
        assertThat(robot.lookup("#run-progress").queryAs(javafx.scene.control.ProgressBar.class).getProgress()).isEqualTo(1.0);
        assertThat(robot.lookup("#run-abort").queryButton().isDisabled()).isTrue();
    }

    @Test
    void aDrillIsUnmistakableAndASkipTakesAReasonFromTheDialog(FxRobot robot) throws Exception {
        startAnnounce(robot, true);
        Node banner = robot.lookup("#drill-banner").query();
        assertThat(banner.isVisible()).isTrue();
        Screenshots.take(stage, "runbook-drill");
        robot.clickOn("#run-skip");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#skip-reason").tryQuery().isPresent());
        Button ok = robot.lookup(".dialog-pane .button").match((Button b) -> b.getText().equals("Skip the step")).query();
        assertThat(ok.isDisabled()).as("no reason, no skip").isTrue();
        robot.clickOn("#skip-reason").write("announced by phone");
        robot.clickOn(ok);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> showing(robot, "Confirm the announcement was read")
                && robot.lookup("#run-message").queryLabeled().getText().contains("Waiting for your approval"));
        assertThat(showing(robot, "skipped: announced by phone")).isTrue();
    }
}

package dev.certops.app.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.Screenshots;
import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.app.shell.ShellView;
import dev.certops.app.shell.ShellViewModel;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.estate.CertificateView;
import dev.certops.testing.PostgresFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real console on a team PostgreSQL of its own, which the test stops and starts again. */
@ExtendWith(ApplicationExtension.class)
class StaleConsoleTest {
    private static final PostgresFixture PG = PostgresFixture.dedicated();
    @TempDir static Path dir;
    private String url;
    private ShellViewModel vm;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        url = PG.newDatabase();
        Workspace ws = new Workspace(dir.resolve("ws-" + System.nanoTime()));
        ws.create();
        new SecretStore(ws.secretsDir(), Optional.empty()).write("pg", PostgresFixture.password().getBytes(StandardCharsets.UTF_8));
        Files.writeString(ws.configFile(), "history: { url: \"" + url + "\", user: certops, password: \"secret:pg\", ssl: disable }\n" + """
                certificates:
                  - { id: api, names: [api.example.test], endpoints: ["127.0.0.1:1"] }
                  - { id: shop, names: [shop.example.test], endpoints: ["127.0.0.1:2"] }
                """);
        vm = new ShellViewModel(ws);
        ShellView shell = new ShellView(vm, new FxBackgroundExecutor(), () -> dir.resolve("export.csv"));
        stage.setScene(shell.scene());
        stage.show();
    }

    @AfterEach
    void close() { vm.close(); }

    @AfterAll
    static void stopServer() { PG.close(); }

    @Test
    void whenTheTeamHistoryStopsTheBannerSaysStaleAndRenewAndRunbooksAreDisabledUntilItIsBack(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> table.getItems().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup(".table-row-cell").nth(0).<javafx.scene.Node>query());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#estate-renew").queryButton().isDisabled()).isFalse();
        robot.clickOn("#nav-runbooks");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !robot.lookup("#runbook-table").queryAs(TableView.class).getItems().isEmpty());
        robot.clickOn(robot.lookup("#runbook-table .table-row-cell").nth(0).<javafx.scene.Node>query());
        WaitForAsyncUtils.waitForFxEvents();
        // Start waits for the required fields (key-compromise: certificate and serial), then only for the history
        assertThat(robot.lookup("#runbook-start").queryButton().isDisabled()).isTrue();
        robot.interact(() -> {
            robot.lookup("#param-certificate").<javafx.scene.control.ComboBox<String>>query().setValue("api");
            robot.lookup("#param-serial").<javafx.scene.control.TextField>query().setText("4f3a");
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#runbook-start-why").queryLabeled().getText()).isEmpty();
        assertThat(robot.lookup("#runbook-start").queryButton().isDisabled()).isFalse();
        robot.clickOn("#nav-estate");

        PG.pause();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#stale-banner").query().isVisible());
        WaitForAsyncUtils.waitForFxEvents(); // the FX thread may still be telling the rest of the window (this thread saw the banner first)
        assertThat(robot.lookup("#stale-text").queryLabeled().getText())
                .matches("Stale since \\d\\d:\\d\\d — the team history at .* does not answer; changes are disabled until it is back\\.")
                .contains(url).doesNotContain(PostgresFixture.password());
        assertThat(robot.lookup("#estate-renew").queryButton().isDisabled()).isTrue();
        Screenshots.take(stage, "estate-stale");
        robot.clickOn("#nav-runbooks");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#runbook-start").queryButton().isDisabled()).as("no run starts while the history is away").isTrue();

        PG.resume();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#stale-banner").query().isVisible());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#runbook-start").queryButton().isDisabled()).isFalse();
        robot.clickOn("#nav-estate");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#estate-renew").queryButton().isDisabled()).isFalse();
    }
}

package dev.certops.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.ConsoleWindow;
import dev.certops.app.VisibleText;
import dev.certops.app.shell.Theme;
import dev.certops.config.Workspace;
import dev.certops.testing.SshdFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
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
 * Settings → Hosts → "Check and trust the SSH host key…" against a real sshd: a key certops has not seen is shown for
 * comparison and trusted only by its own button (Enter cancels); a key that differs from the one listed is refused with
 * what to do, and nothing is written. Each dialog's text goes through the visible-text walk.
 */
@ExtendWith(ApplicationExtension.class)
class HostKeyDialogsTest {
    @TempDir static Path dir;
    static SshdFixture sshd;
    static Workspace ws;
    static Path knownHosts;
    private ConsoleWindow console;

    @BeforeAll
    static void hostBehindSsh() throws Exception {
        sshd = SshdFixture.start(dir.resolve("sshd"));
        ws = new Workspace(dir.resolve("ws"));
        ws.create();
        knownHosts = ws.root().resolve("ssh/known_hosts");
        Files.createDirectories(knownHosts.getParent());
        Files.copy(sshd.userKey(), ws.root().resolve("ssh/id_ed25519"));
        Files.writeString(ws.configFile(), """
                hosts:
                  - { id: web1, address: 127.0.0.1, port: %d, user: %s, identity: ssh/id_ed25519, knownHosts: ssh/known_hosts, service: nginx, certDir: %s }
                """.formatted(sshd.port(), sshd.user(), dir.resolve("certs")));
    }

    @AfterAll
    static void stop() { if (sshd != null) sshd.close(); }

    @Start
    void start(Stage stage) { console = ConsoleWindow.open(stage, ws, dir); }

    @AfterEach
    void close() { console.close(); }

    @Test
    void anUnknownHostKeyIsShownForComparisonAndTrustedOnlyByItsOwnButtonNeverByEnter(FxRobot robot) throws Exception {
        Files.deleteIfExists(knownHosts); // a new workspace: no known_hosts yet
        robot.clickOn("#nav-settings");
        TableView<?> checks = robot.lookup("#settings-checks").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !checks.getItems().isEmpty());
        assertThat(VisibleText.findings(robot.lookup("#settings").query())).as("Settings says it in the console's words").isEmpty();
        assertThat(VisibleText.of(checks).stream().map(t -> t[1]).toList())
                .anySatisfy(t -> assertThat(t).contains("press Check and trust the SSH host key… for web1 (Settings → Hosts)"));
        DialogPane pane = openTrustDialog(robot, "Is this web1's SSH host key?");
        assertThat(VisibleText.findings(pane)).isEmpty();
        assertThat(cutShort(pane)).as("every text is shown whole").isEmpty();
        String text = text(pane);
        assertThat(text).contains("web1 ([127.0.0.1]:" + sshd.port() + ") presents a key certops has not seen before",
                "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519  " + sshd.hostKeyFingerprintSha256(),
                "adds one line for [127.0.0.1]:" + sshd.port() + " to " + knownHosts, "To take it back, delete that line.");
        assertThat(buttons(pane)).containsExactlyInAnyOrder("Cancel", "Trust this key");
        assertThat(button(pane, "Cancel").isDefaultButton()).as("Enter cancels").isTrue();
        assertThat(button(pane, "Trust this key").isDefaultButton()).isFalse();

        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
        assertThat(knownHosts).as("Enter trusted nothing").doesNotExist();

        pane = openTrustDialog(robot, "Is this web1's SSH host key?");
        robot.clickOn(button(pane, "Trust this key"));
        Label message = robot.lookup("#settings-message").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> message.getText().contains("is trusted"));
        assertThat(Files.readString(knownHosts)).startsWith("[127.0.0.1]:" + sshd.port() + " ssh-ed25519 ");

        // asked again, the same key needs no dialog
        robot.clickOn("#settings-trust");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> message.getText().contains("is already trusted"));
        assertThat(robot.lookup(".dialog-pane").tryQuery()).isEmpty();
        assertThat(message.getText()).isEqualTo("web1's key " + sshd.hostKeyFingerprintSha256() + " is already trusted (listed in " + knownHosts + "): nothing to do.");
    }

    @Test
    void aChangedHostKeyIsRefusedWithWhatToDoAndNothingIsWritten(FxRobot robot) throws Exception {
        sshd.writeKnownHosts(knownHosts);
        String listed = Files.readString(knownHosts);
        sshd.regenerateHostKey(); // the host now presents a key other than the one listed
        robot.interact(() -> Theme.apply(console.stage().getScene(), true, false)); // a dark console opens no white dialog
        DialogPane pane = openTrustDialog(robot, "web1's SSH host key has CHANGED. certops refuses to connect to web1.");
        assertThat(pane.getStylesheets()).as("the dialog wears the window's theme").containsExactlyElementsOf(console.stage().getScene().getStylesheets());
        assertThat(VisibleText.findings(pane)).isEmpty();
        assertThat(cutShort(pane)).as("every text is shown whole").isEmpty();
        assertThat(text(pane)).contains("web1 now presents a different key (below) from the one listed for [127.0.0.1]:" + sshd.port() + " in " + knownHosts,
                "ssh-ed25519  " + sshd.hostKeyFingerprintSha256(), "someone is intercepting the connection",
                "every deploy, rollback and check on web1 is refused before anything is sent",
                "delete the line for [127.0.0.1]:" + sshd.port() + " from " + knownHosts, "treat it as a security incident");
        assertThat(buttons(pane)).as("nothing to accept: it only closes").containsExactly("Close");
        robot.clickOn(button(pane, "Close"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
        assertThat(Files.readString(knownHosts)).as("the listed key stays; the new one is not added").isEqualTo(listed);
        assertThat(robot.lookup("#settings-message").queryAs(Label.class).getText()).startsWith("web1's SSH host key has CHANGED");
    }

    /** Settings, the host selected, "Check and trust the SSH host key…", until the dialog with {@code header} shows. */
    private static DialogPane openTrustDialog(FxRobot robot, String header) throws Exception {
        robot.clickOn("#nav-settings");
        TableView<?> hosts = robot.lookup("#settings-hosts").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> hosts.getItems().size() == 1);
        robot.interact(() -> hosts.getSelectionModel().select(0));
        robot.interact(() -> robot.lookup("#settings").queryAs(ScrollPane.class).setVvalue(1)); // the Hosts section is below the fold
        robot.clickOn("#settings-trust");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup(header).tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup(".dialog-pane").queryAs(DialogPane.class);
    }

    private static List<String> cutShort(DialogPane pane) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> VisibleText.cutShort(pane)).get(10, TimeUnit.SECONDS);
    }

    private static String text(DialogPane pane) {
        return String.join("\n", VisibleText.of(pane).stream().map(t -> t[1]).toList());
    }

    private static List<String> buttons(DialogPane pane) {
        return pane.getButtonTypes().stream().map(b -> ((Button) pane.lookupButton(b)).getText()).toList();
    }

    private static Button button(DialogPane pane, String text) {
        return pane.getButtonTypes().stream().map(b -> (Button) pane.lookupButton(b)).filter(b -> b.getText().equals(text)).findFirst().orElseThrow();
    }
}

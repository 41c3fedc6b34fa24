package dev.certops.app.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.Screenshots;
import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.app.shell.ShellView;
import dev.certops.app.shell.ShellViewModel;
import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.JdbcHistoryStore;
import dev.certops.root.CompositionRoot;
import dev.certops.team.TeamCaWorkspace;
import dev.certops.team.TeamWorld;
import dev.certops.testing.PebbleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
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
 * Two people on one team history (real PostgreSQL, keys in a real ssh-agent, a real Pebble CA):
 * alice issues, then asks to revoke from the command line; bob's console shows the request live with
 * its preview, who asked and why, and approves it with a reason; alice's revoke then passes the
 * two-person gate and the CA revokes the certificate. OpenSSH verifies bob's signed approval.
 */
@ExtendWith(ApplicationExtension.class)
class ApprovalsConsoleTest {
    @TempDir static Path dir;
    static TeamCaWorkspace world;
    static TeamWorld team;
    static PebbleFixture ca;
    static Workspace ws;
    private ShellViewModel vm;
    private Stage stage;

    /** Keys, the team database and the workspace, recorded by carol (admin), before the window opens. */
    @BeforeAll
    static void team() throws Exception {
        world = TeamCaWorkspace.start(dir, "web.example.test");
        team = world.team;
        ca = world.ca;
        ws = world.ws;
    }

    @AfterAll
    static void stopAll() {
        if (world != null) world.close();
    }

    private static Map<String, String> env(String who) { return world.env(who); }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        vm = new ShellViewModel(ws, env("bob"));
        ShellView shell = new ShellView(vm, new FxBackgroundExecutor(), () -> dir.resolve("export.csv"));
        stage.setScene(shell.scene());
        stage.show();
    }

    @AfterEach
    void close() { vm.close(); }

    @Test
    void theSecondConsoleSeesThePendingRevokeWithItsPreviewWhoAskedAndWhyAndApprovesIt(FxRobot robot) throws Exception {
        robot.clickOn("#nav-approvals");
        ListView<?> list = robot.lookup("#approvals-list").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#approvals-message").queryLabeled().getText()
                .contains("No request waits"));

        CliRun issued = CliRun.run(env("alice"), "", "issue", "web", "--http01-listen", "127.0.0.2:" + ca.httpPort(), "--workspace", ws.root().toString());
        assertThat(issued.exitCode()).as(issued.out() + issued.err()).isZero();
        String serial = issued.out().replaceAll("(?s).*serial ([0-9a-f]+),.*", "$1");
        CliRun asked = CliRun.run(env("alice"), "", "revoke", "web", "--reason", "key-compromise", "--workspace", ws.root().toString());
        assertThat(asked.err()).contains("revoke is a two-person gate");

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> list.getItems().size() == 1 // live, from alice's event
                && !robot.lookup("#approval-requester").queryLabeled().getText().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#approval-requester").queryLabeled().getText())
                .isEqualTo("alice@example.com asks to revoke web — revoke is a two-person gate");
        assertThat(robot.lookup("#approval-why").queryLabeled().getText()).startsWith("Why: certops revoke web, reason key-compromise");
        assertThat(robot.lookup("#approval-preview").queryLabeled().getText()).startsWith("revoke web");
        assertThat(robot.lookup("#approval-approve").queryButton().isDisabled()).as("no reason yet").isTrue();
        Screenshots.take(stage, "approvals-pending");

        robot.clickOn("#approval-reason").write("serial checked against the CA's notice");
        robot.clickOn("#approval-approve");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#approvals-message").queryLabeled().getText()
                .startsWith("Approved alice@example.com's request to revoke web"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> list.getItems().isEmpty());

        assertThat(ca.certStatusBySerial(serial)).as("nothing revoked before the approval").doesNotContain("Revoked");
        CliRun again = CliRun.run(env("alice"), "", "revoke", "web", "--reason", "key-compromise", "--workspace", ws.root().toString());
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("Revoked web version 1");
        assertThat(ca.certStatusBySerial(serial)).contains("Revoked");
        try (CompositionRoot s = new CompositionRoot(ws, env("bob"), Clock.systemUTC())) {
            List<HistoryEvent> approvals = s.history().query(EventQuery.all().kind("approval."));
            assertThat(approvals).extracting(HistoryEvent::kind).containsExactly("approval.requested", "approval.granted", "approval.used");
            assertThat(approvals.get(1).actor()).startsWith("bob@example.com/");
            assertThat(approvals.get(1).details()).contains("serial checked against the CA's notice");
            String[] signature = {null};
            ((JdbcHistoryStore) s.history()).forEachSigned(approvals.get(1).seq() - 1, "approval.granted", (e, sig) -> signature[0] = sig);
            assertThat(team.sshKeygenVerify(dir.resolve("verify"), "bob@example.com", signature[0], approvals.get(1).hash()))
                    .contains("Good \"certops\" signature for bob@example.com");
        }
        Path csv = dir.resolve("audit.csv");
        CliRun export = CliRun.run(env("bob"), "", "audit", "export", "--format", "csv", "--out", csv.toString(), "--workspace", ws.root().toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(Files.readAllLines(csv)).filteredOn(l -> l.contains(",acme.certificate.revoked,web,")).singleElement()
                .satisfies(row -> assertThat(row).contains(",alice@example.com/").endsWith(",bob@example.com"));
    }
}

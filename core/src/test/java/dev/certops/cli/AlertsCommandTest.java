package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.certops.crypto.SecretStore;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.testing.FreePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certops alerts test|status} against a real local Slack-style receiver and a dead port. */
class AlertsCommandTest {
    @TempDir Path dir;
    private String ws;
    private HttpServer receiver;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private int dead;

    @BeforeEach
    void workspaceWithOneLiveAndOneDeadChannel() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePort.tcp()), 4);
        receiver.createContext("/", x -> {
            bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        receiver.start();
        dead = FreePort.tcp();
        ws = dir.resolve("ws").toString();
        CliRun.run("init", "--workspace", ws);
        new SecretStore(Path.of(ws, "secrets"), Optional.empty()).write("slack-webhook",
                ("http://127.0.0.1:" + receiver.getAddress().getPort() + "/services/T0/B0/tokenTOKENtoken").getBytes(StandardCharsets.UTF_8));
        Files.writeString(Path.of(ws, "certops.yaml"), "alerts:\n"
                + "  - { id: chat, type: slack, url: \"secret:slack-webhook\" }\n"
                + "  - { id: ops, type: webhook, url: \"http://127.0.0.1:" + dead + "/certops\" }\n");
    }

    @AfterEach
    void stop() { receiver.stop(0); }

    @Test
    void testReportsEachChannelAndFailsWhenOneIsDown() throws Exception {
        CliRun r = CliRun.run("alerts", "test", "--workspace", ws);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).containsPattern("chat\\s+slack\\s+delivered")
                .containsPattern("ops\\s+webhook\\s+FAILED after 3 attempts: cannot connect to 127.0.0.1:" + dead)
                .contains("check: is the receiver up").contains("1 of 2 channels failed");
        assertThat(r.out()).doesNotContain("tokenTOKENtoken");
        assertThat(bodies).singleElement().satisfies(b -> assertThat(b).contains("\"text\"").contains("TEST"));
        try (var h = SqliteHistoryStore.open(Path.of(ws, "history.db"), "test")) {
            assertThat(h.query(EventQuery.all().kind(EventKinds.ALERT_TEST))).extracting(e -> e.subject()).containsExactly("chat");
            assertThat(h.query(EventQuery.all().kind(EventKinds.ALERT_DELIVERY_FAILED))).extracting(e -> e.subject()).containsExactly("ops");
        }
    }

    @Test
    void testOfOneChannelSendsOnlyThere() {
        CliRun r = CliRun.run("alerts", "test", "chat", "--workspace", ws);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("The channel delivered the test.").doesNotContain("ops");
    }

    @Test
    void unknownChannelNamesTheKnownOnes() {
        CliRun r = CliRun.run("alerts", "test", "pager", "--workspace", ws);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no alert channel 'pager'").contains("known: chat, ops");
    }

    @Test
    void statusShowsTheBrokenChannelWithWhatToCheck() {
        CliRun.run("alerts", "test", "--workspace", ws);

        CliRun r = CliRun.run("alerts", "status", "--workspace", ws);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).containsPattern("chat\\s+slack\\s+ok").containsPattern("ops\\s+webhook\\s+BROKEN since")
                .contains("check: is the receiver up");
    }

    @Test
    void withoutChannelsTheCommandSaysHowToAddOne() throws Exception {
        Files.writeString(Path.of(ws, "certops.yaml"), "resolvers: [1.1.1.1]\n");

        CliRun r = CliRun.run("alerts", "test", "--workspace", ws);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("no alert channels in certops.yaml");
    }

    @Test
    void statusWithoutChannelsSaysSoAndExitsZeroNotWorkspaceInvalid() throws Exception {
        Files.writeString(Path.of(ws, "certops.yaml"), "resolvers: [1.1.1.1]\n");

        CliRun r = CliRun.run("alerts", "status", "--workspace", ws);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("No alert channels are configured").contains("alerts:");
    }

    @Test
    void certopsStatusWarnsAboutTheBrokenChannel() {
        CliRun.run("alerts", "test", "--workspace", ws);

        CliRun r = CliRun.run("status", "--workspace", ws);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.WARNING);
        assertThat(r.err()).contains("WARNING: alert channel ops (webhook) is broken since").contains("cannot connect to 127.0.0.1:" + dead)
                .contains("./certops alerts test ops").doesNotContain("alert channel chat");
    }

    @Test
    void statusAlertsOnceWhenRenewalsHaveStoppedAndResolvesWhenARunSucceeds() throws Exception {
        Files.writeString(Path.of(ws, "certops.yaml"), "alerts:\n  - { id: chat, type: slack, url: \"secret:slack-webhook\" }\n"
                + "certificates:\n  - { id: api, names: [api.example.test] }\n");

        CliRun first = CliRun.run("status", "--workspace", ws);
        CliRun again = CliRun.run("status", "--workspace", ws);

        assertThat(first.exitCode()).isEqualTo(ExitCodes.WARNING);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.WARNING);
        assertThat(bodies).as("one alert for one condition").singleElement()
                .satisfies(b -> assertThat(b).contains("renew").contains("./certops schedule status"));

        try (var h = SqliteHistoryStore.open(Path.of(ws, "history.db"), "timer@host")) {
            h.append(new dev.certops.history.NewEvent(EventKinds.RENEW_RUN_FINISHED, "renew", "ok",
                    java.util.Map.of("renewed", 0, "redeployed", 0, "failed", 0, "skipped", 0, "exit", 0)));
        }
        CliRun healthy = CliRun.run("status", "--workspace", ws);

        assertThat(healthy.exitCode()).as(healthy.err()).isZero();
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(1)).containsIgnoringCase("resolved");
    }
}

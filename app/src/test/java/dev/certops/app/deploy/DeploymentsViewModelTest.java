package dev.certops.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.deploy.HostState;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentsViewModelTest {
    @TempDir Path dir;
    private long seq;

    private HistoryEvent event(String kind, String cert, String outcome, String json) {
        return new HistoryEvent(++seq, Instant.parse("2026-11-23T02:14:05Z").plusSeconds(seq), "tester@lab", kind, cert, outcome, json, "", "");
    }

    private static DeploymentsViewModel vm(Map<String, Integer> waves) {
        return new DeploymentsViewModel(BackgroundExecutor.inline(), Runnable::run, c -> waves, (c, h, l) -> { throw new IllegalStateException("not used"); });
    }

    @Test
    void deployEventsShowEachHostsStateByWaveWithTheReasonOnFailure() {
        DeploymentsViewModel vm = vm(Map.of("canary-1", 1, "web-2", 2));
        vm.onEvent(event(EventKinds.DEPLOY_STEP, "api", "ok", "{\"host\":\"web-2\",\"step\":\"connect\",\"detail\":\"10.0.0.2\"}"));
        vm.onEvent(event(EventKinds.DEPLOY_STEP, "api", "ok", "{\"host\":\"canary-1\",\"step\":\"reload\",\"detail\":\"\"}"));
        assertThat(vm.rows()).extracting(DeploymentsViewModel.HostRow::hostId).containsExactly("canary-1", "web-2");
        assertThat(vm.rows()).extracting(DeploymentsViewModel.HostRow::state).containsExactly(HostState.VERIFYING, HostState.UPLOADING);
        vm.onEvent(event(EventKinds.DEPLOY_STEP, "api", "ok", "{\"host\":\"canary-1\",\"step\":\"verify\",\"detail\":\"served\"}"));
        vm.onEvent(event(EventKinds.DEPLOY_STEP, "api", "failed", "{\"host\":\"web-2\",\"step\":\"test\",\"detail\":\"nginx: [emerg] bad ssl_certificate\"}"));
        assertThat(vm.rows().get(0).state()).isEqualTo(HostState.VERIFIED);
        assertThat(vm.rows().get(1).state()).isEqualTo(HostState.FAILED);
        assertThat(vm.rows().get(1).reason()).isEqualTo("test failed: nginx: [emerg] bad ssl_certificate");
        vm.onEvent(event(EventKinds.DEPLOY_HOST_FINISHED, "api", "failed", "{\"host\":\"web-2\",\"rolledBack\":true,\"summary\":\"web-2: rolled back after test failed\"}"));
        assertThat(vm.rows().get(1)).satisfies(r -> {
            assertThat(r.state()).isEqualTo(HostState.ROLLED_BACK);
            assertThat(r.wave()).isEqualTo(2);
            assertThat(r.reason()).contains("rolled back after test failed");
        });
    }

    @Test
    void liveListenerStatesReplaceTheHostsRowAndOtherEventsAreIgnored() {
        DeploymentsViewModel vm = vm(Map.of());
        var l = vm.listenerFor("shop");
        l.onHostState("web3", HostState.UPLOADING, "");
        l.onHostState("web3", HostState.TESTING, "nginx -t");
        vm.onEvent(event(EventKinds.SCAN_FINISHED, "", "ok", "{\"host\":\"web3\"}"));
        assertThat(vm.rows()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(HostState.TESTING);
            assertThat(r.wave()).as("not in any wave").isZero();
        });
    }

    /** A real rollback through core's deployer on a local host (no SSH): two releases on disk, the previous goes live. */
    @Test
    void rollingBackAHostPutsThePreviousReleaseLiveAndShowsItsStates() throws Exception {
        Path certDir = dir.resolve("web-1");
        String older = release(certDir, "20261101T000000000Z-0a0a0a0a");
        String newer = release(certDir, "20261120T000000000Z-0b0b0b0b");
        Files.createSymbolicLink(certDir.resolve("live"), Path.of("releases", newer));
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                hosts:
                  - { id: web-1, address: local, service: custom, test: "true", reload: "true", certDir: %s }
                certificates:
                  - { id: api, names: [api.example.test], deploy: { waves: [[web-1]] } }
                """.formatted(certDir));
        try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            DeployCommands commands = new DeployCommands(session);
            List<HostState> seen = new ArrayList<>();
            DeploymentsViewModel vm = new DeploymentsViewModel(BackgroundExecutor.inline(), r -> r.run(), c -> Map.of("web-1", 1),
                    (c, h, l) -> commands.rollback(c, h, (host, s, why) -> { seen.add(s); l.onHostState(host, s, why); }));
            vm.onHostState("api", "web-1", HostState.VERIFIED, "", Instant.now());
            vm.rollBack(vm.rows().get(0));
            // the host serves no endpoint of api: the previous release is live, but no handshake proved it (a warning)
            assertThat(seen).as(vm.messageProperty().get()).containsExactly(HostState.CONNECTING, HostState.ROLLING_BACK, HostState.UNVERIFIED);
            assertThat(vm.rows().get(0).state()).isEqualTo(HostState.UNVERIFIED);
            assertThat(vm.messageProperty().get()).contains("web-1: rolled back", "live = " + older);
            assertThat(Files.readSymbolicLink(certDir.resolve("live")).toString()).endsWith(older);
            HistoryEvent recorded = session.history().query(EventQuery.all().kind(EventKinds.DEPLOY_ROLLBACK)).get(0);
            DeploymentsViewModel other = vm(Map.of("web-1", 1));
            other.onEvent(recorded);
            assertThat(other.rows().get(0).state()).as("another console sees it from history").isEqualTo(HostState.UNVERIFIED);
            assertThat(other.rows().get(0).reason()).contains(older);
        }
    }

    @Test
    void aRollbackThatCannotRunSaysWhatToCheck() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws2"));
        ws.create();
        Files.writeString(ws.configFile(), "certificates:\n  - { id: api, names: [api.example.test] }\n");
        try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            DeployCommands commands = new DeployCommands(session);
            DeploymentsViewModel vm = new DeploymentsViewModel(BackgroundExecutor.inline(), Runnable::run, c -> Map.of(), commands::rollback);
            vm.onHostState("gone", "web-9", HostState.FAILED, "x", Instant.now());
            vm.rollBack(vm.rows().get(0));
            assertThat(vm.messageProperty().get()).contains("did not run", "no certificate 'gone'", "reload the settings");
            assertThat(vm.detailsProperty().get()).doesNotContain("\tat ");
        }
    }

    private static String release(Path certDir, String name) throws Exception {
        var ca = CertificateBuilder.ca("Test CA").build();
        Instant now = Instant.now();
        var leaf = CertificateBuilder.leaf("api.example.test").validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))).signedBy(ca).build();
        Path r = Files.createDirectories(certDir.resolve("releases").resolve(name));
        Files.writeString(r.resolve("cert.pem"), PemWriter.certificate(leaf.certificate()));
        Files.writeString(r.resolve("chain.pem"), PemWriter.certificate(ca.certificate()));
        Files.writeString(r.resolve("fullchain.pem"), PemWriter.certificates(List.of(leaf.certificate(), ca.certificate())));
        Files.writeString(r.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
        return name;
    }
}

package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.testing.PebbleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in primary-ca-outage up to its first approval, against real components: the primary
 * Pebble is down, CAA (served by pebble-challtestsrv) is checked for the secondary, the budget is
 * checked, and the issue step waits showing the secondary CA and its directory.
 */
class PrimaryCaOutageRunbookTest {
    @TempDir Path dir;
    PebbleFixture primary;
    PebbleFixture secondary;
    ChallTestSrvFixture dns;
    CompositionRoot session;

    @BeforeEach
    void primaryDownSecondaryUp() throws Exception {
        primary = PebbleFixture.start(dir.resolve("primary"));
        secondary = PebbleFixture.start(dir.resolve("secondary"));
        Files.createDirectories(dir.resolve("dns")); // the fixture does not create its folder
        dns = ChallTestSrvFixture.start(dir.resolve("dns"));
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                resolvers: ["%s"]
                cas:
                  - { id: main-ca, directory: "%s", trust: "%s", caaIdentity: main.example, agreeToTerms: true, limits: none }
                  - { id: backup-ca, directory: "%s", trust: "%s", caaIdentity: backup.example, agreeToTerms: true, limits: none }
                hosts:
                  - { id: canary-1, address: local, certDir: %s }
                  - { id: web-2, address: local, certDir: %s }
                certificates:
                  - id: api
                    names: [api.example.test]
                    deploy: { waves: [[canary-1], [web-2]] }
                """.formatted(dns.dnsHostPort(), primary.directoryUrl(), primary.trustAnchorPem(), secondary.directoryUrl(),
                secondary.trustAnchorPem(), dir.resolve("h1"), dir.resolve("h2")));
        session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
        primary.stop();
    }

    @AfterEach
    void stop() {
        if (session != null) session.close();
        for (AutoCloseable c : new AutoCloseable[] {primary, secondary, dns}) {
            try { if (c != null) c.close(); } catch (Exception ignored) { /* closing */ }
        }
    }

    private Run start() throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var def = new RunbookCatalog(session.workspace(), new RunbookLoader(actions.types())).find("primary-ca-outage");
        return new RunbookEngine(actions, session.history(), session.clock()).start(def, Map.of("certificate", "api"), false, RunListener.NONE);
    }

    @Test
    void confirmsTheOutageChecksTheSecondaryAndWaitsAtIssueShowingTheSecondaryCa() throws Exception {
        dns.addCaa("example.test", "issue", "backup.example");
        Run run = start();
        RunState s = run.advance();
        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.WAITING_APPROVAL);
        assertThat(s.steps().subList(0, 3)).extracting(StepState::status).containsOnly(StepState.Status.SUCCEEDED);
        assertThat(s.steps().get(0).outputs()).containsEntry("reachable", false);
        assertThat(s.current().orElseThrow().stepId()).isEqualTo("issue");
        assertThat(run.preview().orElseThrow().details()).singleElement().asString()
                .contains("from CA 'backup-ca' at " + secondary.directoryUrl());
    }

    @Test
    void stopsBeforeOrderingWhenCaaForbidsTheSecondary() throws Exception {
        dns.addCaa("example.test", "issue", "main.example");
        RunState s = start().advance();
        assertThat(s.status()).isEqualTo(RunState.Status.FAILED);
        StepState caa = s.steps().get(1);
        assertThat(caa.stepId()).isEqualTo("check-caa");
        assertThat(caa.summary()).contains("CAA does not allow the CA").contains("api");
        assertThat(caa.reason()).contains("add a CAA record");
    }
}

package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real deploy, rollback, issue and revoke actions refuse production in a drill, before touching anything. */
class DrillNeverTouchesProductionTest {
    @TempDir Path dir;

    private CompositionRoot session() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.createDirectories(dir.resolve("prod-certs"));
        Files.writeString(ws.configFile(), """
                cas:
                  - { id: main-ca, directory: "https://ca.example.test/dir", agreeToTerms: true, limits: none }
                hosts:
                  - { id: prod-1, address: local, certDir: %s }
                certificates:
                  - id: api
                    names: [api.example.test]
                    deploy: { waves: [[prod-1]] }
                    endpoints: ["127.0.0.1:1"]
                """.formatted(dir.resolve("prod-certs")));
        return new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
    }

    private RunState runAsDrill(CompositionRoot s, String action) throws Exception {
        var actions = RunbookActions.forSession(s, s.operations());
        var def = new RunbookLoader(actions.types()).parse(Path.of("t.yaml"), "t.yaml", """
                name: t
                title: T
                steps:
                  - id: step
                    title: Step
                    action: %s
                    with: { certificate: api, serial: "0a" }
                """.formatted(action));
        Run run = new RunbookEngine(actions, s.history(), s.clock()).start(def, Map.of(), true, RunListener.NONE);
        return run.advance();
    }

    @Test
    void aDrillDeployToAProductionHostFailsAndLeavesTheHostUntouched() throws Exception {
        try (CompositionRoot s = session()) {
            RunState r = runAsDrill(s, "deploy");
            assertThat(r.status()).isEqualTo(RunState.Status.FAILED);
            assertThat(r.steps().get(0).summary()).contains("only touch hosts tagged 'drill: true'").contains("prod-1");
            try (var files = Files.list(dir.resolve("prod-certs"))) {
                assertThat(files).isEmpty();
            }
            assertThat(s.history().query(EventQuery.all().kind("deploy."))).isEmpty();
        }
    }

    @Test
    void aDrillRollbackOfAProductionHostIsRefused() throws Exception {
        try (CompositionRoot s = session()) {
            RunState r = runAsDrill(s, "rollback");
            assertThat(r.steps().get(0).summary()).contains("only touch hosts tagged 'drill: true'");
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.DEPLOY_ROLLBACK))).isEmpty();
        }
    }

    @Test
    void aDrillIssueFromACaWithoutStagingIsRefused() throws Exception {
        try (CompositionRoot s = session()) {
            assertThat(runAsDrill(s, "issue").steps().get(0).summary()).contains("no staging directory").contains("a drill never uses a production CA");
        }
    }

    @Test
    void aDrillRevokeAtAProductionCaIsRefused() throws Exception {
        try (CompositionRoot s = session()) {
            assertThat(runAsDrill(s, "revoke").steps().get(0).summary()).contains("a drill never uses a production CA");
        }
    }
}

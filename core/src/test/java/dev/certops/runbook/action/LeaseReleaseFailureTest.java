package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease store stops answering while a deploy step runs (the host's reload renames the SQLite
 * history's leases table, so releasing the lease afterwards fails): the deploy happened, and the
 * step says so — the failed release is only logged, the lease lapses by its time to live.
 */
class LeaseReleaseFailureTest {
    @TempDir Path dir;
    NginxFixture nginx;
    Workspace ws;
    int port;
    TestTls v2;

    @BeforeEach
    void version1LiveOnNginx() throws Exception {
        TestTls v1 = TestTls.create(dir.resolve("v1"));
        v2 = TestTls.create(dir.resolve("v2"));
        ws = new Workspace(dir.resolve("ws"));
        ws.create();
        v1.storeAs(ws, "web", "1");
        v2.storeAs(ws, "web", "2");
        Path certDir = dir.resolve("host/ssl");
        Files.createDirectories(certDir);
        port = FreePort.tcp();
        nginx = NginxFixture.in(dir.resolve("nginx")).addServer("localhost", port, v1.certPem(), v1.keyPem());
        nginx.start();
        nginx.serveLiveLinkInsteadOf(v1.certPem(), v1.keyPem(), certDir);
        Path reload = dir.resolve("reload.sh");
        Files.writeString(reload, "#!/bin/sh\nset -e\n" + nginx.reloadCommand() + "\nif [ -f " + dir.resolve("break-leases")
                + " ]; then sqlite3 -cmd '.timeout 10000' " + ws.historyFile() + " 'ALTER TABLE leases RENAME TO leases_gone'; fi\n");
        Files.setPosixFilePermissions(reload, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(ws.configFile(), """
                hosts:
                  - { id: web-1, address: local, certDir: %s, test: "%s", reload: "%s" }
                certificates:
                  - id: web
                    names: [localhost]
                    deploy: { waves: [[web-1]] }
                    endpoints: [{ host: 127.0.0.1, port: %d, sni: localhost }]
                """.formatted(certDir, nginx.testCommand(), reload, port));
        Files.writeString(ws.runbooksDir().resolve("roll-v2.yaml"), """
                name: roll-v2
                title: Roll out version 2
                steps:
                  - { id: deploy, title: Deploy version 2, action: deploy, with: { certificate: web, version: "2" } }
                """);
        assertThat(CliRun.run("deploy", "web", "--version", "1", "--workspace", ws.root().toString()).exitCode()).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) nginx.close();
    }

    @Test
    void deployStepSucceedsWhenItsLeaseCannotBeReleasedAfterwards() throws Exception {
        Files.writeString(dir.resolve("break-leases"), "");
        CliRun r = CliRun.run("runbook", "run", "roll-v2", "--yes", "--workspace", ws.root().toString());

        TestTls.awaitServedSteadily(port, "localhost", v2.serial()); // an old nginx worker may answer once more after the verified reload
        assertThat(r.out() + r.err()).doesNotContain("nothing was changed").doesNotContain("lease store did not answer");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        try (var h = SqliteHistoryStore.open(ws.historyFile(), "test")) {
            List<HistoryEvent> steps = h.query(EventQuery.all().kind(EventKinds.RUNBOOK_STEP));
            assertThat(steps.get(steps.size() - 1).outcome()).isEqualTo("succeeded");
            assertThat(h.query(EventQuery.all().kind(EventKinds.LEASE_RELEASED))).as("the step's release failed")
                    .noneMatch(e -> e.details().contains("runbook roll-v2"));
        }
    }
}

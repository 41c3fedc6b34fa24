package dev.certops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.estate.CertificateView;
import dev.certops.estate.EstateService;
import dev.certops.estate.EstateSnapshot;
import dev.certops.estate.Status;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox as a new user meets it: up, an estate with trouble, an incident recovered by the runbook, down. */
class SandboxTest {
    @TempDir Path tmp;

    @Test
    void upBreakRecoverThroughTheSecondaryCaAndDown() throws Exception {
        Sandbox sandbox = new Sandbox(tmp.resolve("sbx"));
        assertThat(sandbox.up()).anyMatch(l -> l.startsWith("Sandbox up in"));
        String ws = sandbox.workspace().root().toString();
        try {
            try (CompositionRoot s = new CompositionRoot(sandbox.workspace(), Map.of("USER", "tester"), Clock.systemUTC())) {
                EstateSnapshot snap = new EstateService(s).scan();
                assertThat(cert(snap, "healthy").status()).isEqualTo(Status.OK);
                assertThat(cert(snap, "api").status()).isEqualTo(Status.CRITICAL);
                assertThat(cert(snap, "shop").diverged()).as(cert(snap, "shop").toString()).isTrue();
            }
            assertThat(sandbox.breakPrimaryCa()).contains("primary CA is down");
            CliRun run = CliRun.run(Map.of(), "", "runbook", "run", "primary-ca-outage", "--param", "certificate=api", "--yes", "--workspace", ws);
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("succeeded");
            try (CompositionRoot s = new CompositionRoot(sandbox.workspace(), Map.of("USER", "tester"), Clock.systemUTC())) {
                CertificateView api = cert(new EstateService(s).scan(), "api");
                assertThat(api.status()).isEqualTo(Status.OK);
                assertThat(api.ca()).isEqualTo("secondary");
            }
        } finally {
            assertThat(sandbox.down()).allMatch(l -> l.startsWith("stopped") || l.startsWith("removed"));
        }
        assertThat(Files.exists(tmp.resolve("sbx"))).isFalse();
        assertThatThrownBy(sandbox::down).hasMessageContaining("no sandbox at");
    }

    @Test
    void aSecondSandboxInTheSameFolderIsRefusedAndNothingIsTouched() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("keep.txt"), "mine");
        CliRun r = CliRun.run("sandbox", "up", "--dir", dir.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("is not empty");
        assertThat(Files.readString(dir.resolve("keep.txt"))).isEqualTo("mine");
    }

    private static CertificateView cert(EstateSnapshot s, String id) {
        return s.certificates().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}

package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.testing.PebbleFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole {@code certops renew --dry-run} command (workspace, config, history, stored versions,
 * ARI probe of a real Pebble that offers none, decisions, output) over 2,000 certificates, none due.
 */
@Tag("bench")
class RenewDryRunBench {
    @TempDir Path dir;

    @Test
    void dryRunOverTwoThousandCertificatesNoneDueWithinTwoSeconds() throws Exception {
        try (PebbleFixture pebble = PebbleFixture.start(dir.resolve("pebble"))) {
            Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 2000, 0,
                    "\"" + pebble.directoryUrl() + "\", trust: \"" + pebble.trustAnchorPem() + "\"");
            CliRun.run(Map.of(), "", "renew", "--dry-run", "--quiet", "--workspace", ws.root().toString()); // warm-up (JIT, classes)
            long t0 = System.nanoTime();
            CliRun r = CliRun.run(Map.of(), "", "renew", "--dry-run", "--workspace", ws.root().toString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("RenewDryRunBench: `certops renew --dry-run` over 2000 certificates (none due), warm JVM: " + ms + " ms (limit 2000 ms)");
            // what an operator or a timer actually runs: a fresh JVM, class loading and all
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            long c0 = System.nanoTime();
            Process cold = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), "dev.certops.cli.Cli",
                    "renew", "--dry-run", "--quiet", "--workspace", ws.root().toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("cold.out").toFile()).start();
            int coldExit = cold.waitFor();
            long coldMs = (System.nanoTime() - c0) / 1_000_000;
            System.out.println("RenewDryRunBench: the same command in a fresh JVM (as ./certops runs it): " + coldMs + " ms (limit 2000 ms)");
            assertThat(coldExit).as(java.nio.file.Files.readString(dir.resolve("cold.out"))).isZero();
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("Dry run: 0 of 2000 certificates due");
            assertThat(ms).isLessThanOrEqualTo(2000);
        }
    }
}

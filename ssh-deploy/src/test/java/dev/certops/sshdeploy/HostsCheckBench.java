package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.HostConfig;
import dev.certops.deploy.HostCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hosts check} of 50 host entries of one loopback sshd (50 certDirs, 50 nginx server blocks):
 * in parallel, on one shared SSH session for the address. Target: 3 s, printed as met / NOT met.
 * Run: ./mvnw -B -o -Pbench -pl ssh-deploy -am verify -Dtest=HostsCheckBench -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("bench")
class HostsCheckBench {
    @TempDir Path dir;

    @Test
    void checksFiftyHostsInParallel() throws Exception {
        try (DeployLab lab = DeployLab.start(dir)) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 50; i++) ids.add(String.format("web%02d", i));
            lab.addHosts(ids);
            List<HostConfig> hosts = lab.hosts();

            long t0 = System.nanoTime();
            List<List<HostCheck.Line>> r = HostCheck.runAll(lab.connectors(), hosts, h -> List.of(), Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - t0) / 1e9;

            System.out.printf("HostsCheckBench: 50 hosts checked (connect, certDir, live, config test): %.2f s (target <= 3 s: %s)%n",
                    seconds, seconds <= 3.0 ? "met" : "NOT met");
            assertThat(r).hasSize(50).allSatisfy(lines -> assertThat(lines).allSatisfy(l -> assertThat(l.ok()).as(l.what() + ": " + l.detail()).isTrue())
                    .extracting(HostCheck.Line::what).contains("connect", "certDir", "live", "config test"));
        }
    }
}

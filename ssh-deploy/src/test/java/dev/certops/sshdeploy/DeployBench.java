package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.HostState;
import dev.certops.deploy.RolloutResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One certificate to 50 host entries (one loopback sshd, 50 certDirs, 50 nginx server blocks),
 * waves [1, 49], 10 hosts at once, including the handshake verification. Target: 15 s, printed
 * as met / NOT met (the figure depends on the machine's load; the assertions are about correctness).
 * Run: ./mvnw -B -o -Pbench -pl ssh-deploy verify -Dtest=DeployBench
 */
@Tag("bench")
class DeployBench {
    @TempDir Path dir;

    @Test
    void deploysOneCertificateToFiftyHostsInTwoWaves() throws Exception {
        try (DeployLab lab = DeployLab.start(dir)) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 50; i++) ids.add(String.format("web%02d", i));
            lab.addHosts(ids);
            DeployBundle next = lab.newVersion("2");
            var cert = lab.certificate(List.of(ids.subList(0, 1), ids.subList(1, 50)));

            Map<String, long[]> last = new ConcurrentHashMap<>();
            Map<HostState, LongAdder> spent = new ConcurrentHashMap<>();
            DeployListener timing = (h, s, w) -> {
                long now = System.nanoTime();
                long[] prev = last.put(h, new long[] {s.ordinal(), now});
                if (prev != null) spent.computeIfAbsent(HostState.values()[(int) prev[0]], k -> new LongAdder()).add(now - prev[1]);
            };
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            RolloutResult r = lab.deployer(DeploySettings.DEFAULT.withConcurrency(10)).deploy(cert, lab.hosts(), next, Set.of(), timing);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double jvmCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            StringBuilder perState = new StringBuilder();
            for (HostState st : HostState.values()) {
                if (spent.containsKey(st) && st != HostState.WAITING) perState.append(String.format(" %s %.0f ms", st.name().toLowerCase(), spent.get(st).sum() / 1e6 / 50));
            }
            System.out.println("DeployBench: mean time per host in each state:" + perState);
            System.out.printf("DeployBench: console JVM CPU %.1f s; machine load average at the end %.1f on %d cores%n", jvmCpu, os.getSystemLoadAverage(), os.getAvailableProcessors());

            System.out.printf("DeployBench: 50 hosts, waves [1, 49], concurrency 10, verified by handshake: %.2f s (target <= 15 s: %s)%n",
                    seconds, seconds <= 15.0 ? "met" : "NOT met");
            assertThat(r.ok()).as(r.summary()).isTrue();
            for (String id : List.of(ids.get(0), ids.get(25), ids.get(49))) lab.awaitServed(id, next.leafSha256());
        }
    }
}

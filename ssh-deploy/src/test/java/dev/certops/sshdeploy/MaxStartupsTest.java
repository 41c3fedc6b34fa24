package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.HostCheck;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many host entries on one machine whose sshd has a production server's limits — {@code MaxStartups 2}
 * (a third connection still authenticating is dropped: "Connection reset") and the default
 * {@code MaxSessions 10}: a {@code hosts check} of all of them and a deploy to all of them, eight at
 * once, succeed, because host entries of one address share a few SSH sessions whose handshakes are
 * made one at a time.
 */
class MaxStartupsTest {
    @TempDir Path dir;

    @Test
    void aHostsCheckAndADeployToTwelveHostEntriesOfOneSshdWithMaxStartups2AllSucceedOnAFewSharedSessions() throws Exception {
        try (DeployLab lab = DeployLab.start(dir)) {
            lab.sshd().restartWithLimits("2", 10);
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 12; i++) ids.add(String.format("app%02d", i));
            lab.addHosts(ids);

            List<List<HostCheck.Line>> checked = HostCheck.runAll(lab.connectors(), lab.hosts(), h -> List.of(), Duration.ofSeconds(60));

            assertThat(checked).hasSize(12).allSatisfy(lines -> assertThat(lines)
                    .allSatisfy(l -> assertThat(l.ok()).as(l.what() + ": " + l.detail()).isTrue())
                    .extracting(HostCheck.Line::what).contains("connect", "certDir", "live", "config test"));
            int afterCheck = logins(lab);
            assertThat(afterCheck).as("SSH logins for 12 host entries checked at once").isBetween(1, 3);

            DeployBundle next = lab.newVersion("2");
            RolloutResult r = lab.deployer(DeploySettings.DEFAULT.withConcurrency(8)).deploy(lab.certificate(List.of(ids)), lab.hosts(), next,
                    Set.of(), (h, s, w) -> { });

            assertThat(r.ok()).as(r.summary()).isTrue();
            assertThat(r.hosts()).hasSize(12).allSatisfy(o -> assertThat(o).isInstanceOf(HostOutcome.Verified.class));
            for (String id : List.of(ids.get(0), ids.get(11))) lab.awaitServed(id, next.leafSha256());
            assertThat(logins(lab) - afterCheck).as("SSH logins for 12 host entries deployed 8 at once").isBetween(1, 3);
            assertThat(lab.sshd().log()).doesNotContain("drop connection", "MaxStartups throttling");
        }
    }

    private static int logins(DeployLab lab) throws Exception {
        Matcher m = Pattern.compile("Accepted publickey for ").matcher(lab.sshd().log());
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}

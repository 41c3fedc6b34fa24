package dev.certops.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.CaConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillPolicyTest {
    @TempDir Path dir;

    private static final String DEPLOY_BOTH = """
            name: drill-deploy
            title: Drill deploy
            steps:
              - id: deploy
                title: Deploy
                action: deploy
                with: { hosts: [drill-1, prod-1] }
            """;

    @Test
    void aDrillNeverTouchesAProductionHostEvenWhenTheRunbookNamesOne() throws Exception {
        World world = new World();
        world.hosts.put("drill-1", World.host("drill-1", true));
        world.hosts.put("prod-1", World.host("prod-1", false));
        try (EngineHarness h = new EngineHarness(dir, world)) {
            RunState s = h.start(DEPLOY_BOTH, Map.of(), true).advance();
            assertThat(s.status()).isEqualTo(RunState.Status.FAILED);
            assertThat(s.steps().get(0).summary()).contains("only touch hosts tagged 'drill: true'").contains("prod-1");
            assertThat(world.deployed).isEmpty();
        }
    }

    @Test
    void theSameRunbookOutsideADrillDeploysToEveryHost() throws Exception {
        World world = new World();
        world.hosts.put("drill-1", World.host("drill-1", true));
        world.hosts.put("prod-1", World.host("prod-1", false));
        try (EngineHarness h = new EngineHarness(dir, world)) {
            assertThat(h.start(DEPLOY_BOTH, Map.of(), false).advance().status()).isEqualTo(RunState.Status.SUCCEEDED);
            assertThat(world.deployed).containsOnlyKeys("drill-1", "prod-1");
        }
    }

    private static CaConfig ca(Optional<URI> staging) {
        return new CaConfig("le", URI.create("https://acme-v02.api.letsencrypt.org/directory"), staging, Optional.empty(),
                Optional.empty(), true, Optional.empty(), "letsencrypt", Map.of(), Optional.empty());
    }

    @Test
    void aDrillIssuesThroughTheStagingDirectory() throws Exception {
        URI staging = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");
        assertThat(new DrillPolicy(true).directory(ca(Optional.of(staging)), false)).isEqualTo(staging);
        assertThat(new DrillPolicy(false).directory(ca(Optional.of(staging)), false)).isEqualTo(ca(Optional.empty()).directory());
    }

    @Test
    void aDrillRefusesACaWithoutStagingRatherThanUseProduction() {
        assertThatThrownBy(() -> new DrillPolicy(true).directory(ca(Optional.empty()), false))
                .hasMessageContaining("no staging directory").hasMessageContaining("a drill never uses a production CA");
    }
}

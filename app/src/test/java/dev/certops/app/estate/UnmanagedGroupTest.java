package dev.certops.app.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.config.Endpoint;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.CertificateInfo;
import dev.certops.discover.DiscoveredCertificate;
import dev.certops.discover.Discovery;
import dev.certops.discover.DiscoveryReport;
import dev.certops.estate.EstateService;
import dev.certops.estate.Status;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Estate lists what the latest discovery found unmanaged as its own group, judged by the thresholds like managed certificates. */
class UnmanagedGroupTest {
    @TempDir Path dir;

    @Test
    void aDiscoveredUnmanagedCertificateExpiringSoonIsListedInItsOwnGroupAsCritical() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), "certificates: []\n");
        Instant now = Instant.now();
        var ca = CertificateBuilder.ca("Forgotten CA").build();
        var leaf = CertificateBuilder.leaf("forgotten.example.test").signedBy(ca).validity(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10))).build();
        try (CompositionRoot session = new CompositionRoot(ws, Map.of(), Clock.systemUTC())) {
            var found = new DiscoveredCertificate(CertificateInfo.from(leaf.certificate()), Status.CRITICAL, 10,
                    List.of(new Endpoint("10.0.0.7", 443, "10.0.0.7")), Optional.empty());
            Discovery.record(session.history(), new DiscoveryReport(now, Duration.ofMillis(5), 1, List.of(found), Map.of()));
            EstateViewModel vm = new EstateViewModel(BackgroundExecutor.inline(), () -> new EstateService(session).scan());
            vm.setUnmanagedSource(EstateViewModel.UnmanagedRow.latest(session));
            vm.scan();
            assertThat(vm.unmanaged()).singleElement().satisfies(r -> {
                assertThat(r.names()).isEqualTo("forgotten.example.test");
                assertThat(r.status()).isEqualTo("critical");
                assertThat(r.issuer()).isEqualTo("Forgotten CA");
                assertThat(r.servedAt()).isEqualTo("10.0.0.7:443");
            });
        }
    }
}

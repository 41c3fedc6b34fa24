package dev.certops.discover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.alert.AlertReceiver;
import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
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

/** {@code renew} with {@code renew: discover:}: a certificate served on the listed targets that certops.yaml does not manage raises an alert, with its expiry's severity. */
class RenewDiscoveryAlertTest {
    @TempDir Path dir;

    @Test
    void anUnknownCertificateExpiringInTenDaysFoundByTheRenewRunAlertsAsCritical() throws Exception {
        Instant now = Instant.now();
        var ca = CertificateBuilder.ca("Renew Discovery CA").build();
        var leaf = CertificateBuilder.leaf("forgotten.example.test").signedBy(ca).validity(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10))).build();
        Files.writeString(dir.resolve("fullchain.pem"), PemWriter.certificates(List.of(leaf.certificate(), ca.certificate())));
        Files.writeString(dir.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
        int port = FreePort.tcp();
        try (NginxFixture nginx = NginxFixture.in(dir.resolve("nginx")).addServer("127.0.0.7", "forgotten.example.test", port,
                dir.resolve("fullchain.pem"), dir.resolve("privkey.pem")); AlertReceiver receiver = new AlertReceiver()) {
            nginx.start();
            Workspace ws = new Workspace(dir.resolve("ws"));
            ws.create();
            Files.writeString(ws.configFile(), "renew:\n  discover: { targets: [127.0.0.7, 127.0.0.8], ports: [" + port + "] }\n"
                    + "alerts:\n  - { id: ops, type: webhook, url: \"" + receiver.url("/hook") + "\" }\n");
            CliRun r = CliRun.run("renew", "--workspace", ws.root().toString());
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(receiver.requests("/hook")).singleElement().satisfies(req -> assertThat(req.body())
                    .contains("forgotten.example.test").contains("not managed by certops").contains("critical"));
            try (CompositionRoot s = new CompositionRoot(ws, Map.of(), Clock.systemUTC())) {
                assertThat(s.history().query(EventQuery.all().kind(EventKinds.DISCOVER_FINISHED))).hasSize(1);
            }
        }
    }
}

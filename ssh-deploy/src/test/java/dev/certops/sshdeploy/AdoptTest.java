package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import dev.certops.scan.TlsProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * hosts adopt on a real sshd and nginx: a hand-made live link and plain files become release zero,
 * then a certops deploy, then a rollback to the adopted release — while a client handshakes with the
 * endpoint the whole time and must never see a failure. Once through the core, once through the
 * commands an operator types (hosts adopt, deploy, rollback).
 */
class AdoptTest {
    @RegisterExtension static final DeployLabExtension LAB = new DeployLabExtension();
    private static DeployLab lab;

    @BeforeAll
    static void lab() {
        lab = LAB.lab();
    }

    @Test
    void aHandMadeLiveLinkIsAdoptedThenDeployedOverAndRolledBackToWithoutAFailedHandshake() throws Exception {
        lab.addHandMadeHost("legacy1", "portal", false);
        CertificateConfig portal = lab.certificateServedAt("portal", List.of(List.of("legacy1")));

        // nginx has taken the new server block (a reload is asynchronous): from here on every handshake must succeed
        lab.awaitServedAt(portal.id(), lab.oldSha256());
        try (Poller poller = new Poller(portal.endpoints().get(0))) {
            String adopted = lab.deployerByCertificate().adopt(portal, lab.hosts(), "legacy1", Optional.empty(), (h, s, w) -> { });
            assertThat(adopted).contains("adopted", "release 00000000T000000000Z-", "still served");
            assertThat(lab.liveRelease("legacy1", "portal")).startsWith("00000000T000000000Z-");
            assertThat(Files.isDirectory(lab.certFolder("legacy1", "portal").resolve("releases/0-initial"))).as("the hand-made folder is left as it was").isTrue();

            deployThenRollBackToTheAdoptedRelease("legacy1", portal);
            assertThat(poller.failures()).as("handshakes that failed during adopt, deploy and rollback").isEmpty();
            assertThat(poller.handshakes()).isGreaterThan(5);
        }
    }

    @Test
    void plainFilesAreAdoptedAndReplacedByLinksIntoLiveWithoutAFailedHandshake() throws Exception {
        Path plain = lab.addHandMadeHost("legacy2", "intranet", true);
        CertificateConfig intranet = lab.certificateServedAt("intranet", List.of(List.of("legacy2")));

        // nginx has taken the new server block (a reload is asynchronous): from here on every handshake must succeed
        lab.awaitServedAt(intranet.id(), lab.oldSha256());
        try (Poller poller = new Poller(intranet.endpoints().get(0))) {
            String adopted = lab.deployerByCertificate().adopt(intranet, lab.hosts(), "legacy2", Optional.of(plain.toString()), (h, s, w) -> { });
            assertThat(adopted).contains("now link into live/", plain.resolve("fullchain.pem").toString());
            assertThat(Files.isSymbolicLink(plain.resolve("privkey.pem"))).isTrue();
            assertThat(Files.readSymbolicLink(plain.resolve("privkey.pem"))).isEqualTo(lab.certFolder("legacy2", "intranet").resolve("live/privkey.pem"));

            deployThenRollBackToTheAdoptedRelease("legacy2", intranet);
            assertThat(poller.failures()).as("handshakes that failed during adopt, deploy and rollback").isEmpty();
            assertThat(poller.handshakes()).isGreaterThan(5);
        }
    }

    @Test
    void theHostsAdoptCommandTakesPlainFilesInAndTheDeployAndRollbackCommandsReachTheAdoptedReleaseWithoutAFailedHandshake() throws Exception {
        Path plain = lab.addHandMadeHost("legacy3", "shop", true);
        HostConfig h = lab.host("legacy3");
        Files.writeString(lab.workspace().configFile(), String.join("\n",
                "hosts:",
                "  - { id: legacy3, address: " + h.address() + ", port: " + h.port() + ", user: " + h.user() + ", identity: " + h.identity().orElseThrow()
                        + ", knownHosts: ssh/known_hosts, baseDir: " + h.baseDir().orElseThrow() + ", test: \"" + h.testCommand() + "\", reload: \""
                        + h.reloadCommand() + "\" }",
                "certificates:",
                "  - { id: shop, names: [localhost], deploy: { waves: [[legacy3]] }, endpoints: [\"127.0.0.1:" + lab.endpoint("shop").port() + "\"] }",
                ""));
        lab.awaitServedAt("shop", lab.oldSha256());
        try (Poller poller = new Poller(lab.endpoint("shop"))) {
            CliRun adopted = certops("hosts", "adopt", "legacy3", "--cert", "shop", "--from", plain.toString());

            assertThat(adopted.exitCode()).as(adopted.out() + adopted.err()).isEqualTo(ExitCodes.OK);
            assertThat(adopted.out()).contains("adopted", "now link into live/", plain.resolve("fullchain.pem").toString());
            assertThat(Files.readSymbolicLink(plain.resolve("privkey.pem"))).isEqualTo(lab.certFolder("legacy3", "shop").resolve("live/privkey.pem"));
            String zero = lab.liveRelease("legacy3", "shop");
            assertThat(zero).startsWith("00000000T000000000Z-");

            DeployBundle next = lab.newVersion("shop", "2");
            lab.store(next);
            CliRun deployed = certops("deploy", "shop");
            assertThat(deployed.exitCode()).as(deployed.out() + deployed.err()).isEqualTo(ExitCodes.OK);
            assertThat(deployed.out()).contains("every host verified");
            lab.awaitServedAt("shop", next.leafSha256());

            CliRun back = certops("rollback", "shop", "--host", "legacy3");
            assertThat(back.exitCode()).as(back.out() + back.err()).isEqualTo(ExitCodes.OK);
            assertThat(lab.liveRelease("legacy3", "shop")).isEqualTo(zero);
            lab.awaitServedAt("shop", lab.oldSha256());
            assertThat(poller.failures()).as("handshakes that failed during adopt, deploy and rollback").isEmpty();
        }
        CliRun unknown = certops("hosts", "adopt", "legacy3", "--cert", "nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no certificate 'nope'");
    }

    private CliRun certops(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--workspace");
        a.add(lab.workspace().root().toString());
        return CliRun.run(Map.of(), "", a.toArray(String[]::new));
    }

    private void deployThenRollBackToTheAdoptedRelease(String hostId, CertificateConfig cert) throws Exception {
        String zero = lab.liveRelease(hostId, cert.id());
        DeployBundle next = lab.newVersion(cert.id(), "2");
        RolloutResult r = lab.deployerByCertificate().deploy(cert, lab.hosts(), next, Set.of(), (h, s, w) -> { });
        assertThat(r.ok()).as(r.summary()).isTrue();
        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.Verified.class, v -> assertThat(v.previousRelease()).contains(zero));

        HostOutcome back = lab.deployerByCertificate().rollback(cert, lab.hosts(), hostId, (h, s, w) -> { });

        assertThat(back).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> {
            assertThat(rb.restoredVerified()).as(rb.summary()).isTrue();
            assertThat(rb.restoredRelease()).contains(zero);
        });
        lab.awaitServedAt(cert.id(), lab.oldSha256());
    }

    /** A client that handshakes with the endpoint over and over until closed, noting every failure. */
    private static final class Poller implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicInteger handshakes = new AtomicInteger();
        private final Thread thread;

        Poller(Endpoint e) {
            TlsProbe probe = TlsProbe.withDefaults();
            thread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        probe.fetch(e);
                        handshakes.incrementAndGet();
                    } catch (Exception ex) {
                        failures.add(ex.getMessage());
                    }
                }
            }, "adopt-poller");
            thread.setDaemon(true);
            thread.start();
        }

        List<String> failures() { return failures; }
        int handshakes() { return handshakes.get(); }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }
}

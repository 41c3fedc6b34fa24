package dev.certops.acme;

import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.PebbleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Two real Pebble CAs (primary, secondary) resolving through one challtestsrv, and nginx serving a
 * local webroot on the port Pebble validates HTTP-01 against. One per test class.
 */
public final class AcmeLab implements AutoCloseable {
    public final ChallTestSrvFixture dns;
    public final NginxFixture nginx;
    public final PebbleFixture primary;
    public final PebbleFixture secondary;
    public final Path webroot;
    public final Path unservedWebroot;
    public final Path dir;

    public AcmeLab(Path dir) throws Exception {
        this(dir, 0);
    }

    AcmeLab(Path dir, int nonceReject) throws Exception {
        this.dir = dir;
        dns = ChallTestSrvFixture.start(Files.createDirectories(dir.resolve("dns")));
        int http = FreePort.tcp();
        webroot = Files.createDirectories(dir.resolve("webroot"));
        unservedWebroot = Files.createDirectories(dir.resolve("unserved"));
        nginx = NginxFixture.in(dir.resolve("nginx")).addHttpServer(http, webroot);
        nginx.start();
        primary = PebbleFixture.builder(dir.resolve("primary")).httpPort(http).dns(dns).nonceReject(nonceReject).start();
        secondary = PebbleFixture.builder(dir.resolve("secondary")).httpPort(http).dns(dns).start();
    }

    /** A workspace configured for both CAs, a local host with the served webroot, and DNS-01 through challtestsrv. */
    CompositionRoot workspace(Path root, String certificates) throws Exception {
        return workspace(root, certificates, primary.directoryUrl());
    }

    /** The same, with the primary CA reached at {@code primaryDirectory} (a fault proxy in front of it). */
    CompositionRoot workspace(Path root, String certificates, java.net.URI primaryDirectory) throws Exception {
        return workspace(root, certificates, primaryDirectory, secondary.directoryUrl(), Clock.systemUTC());
    }

    /** The same, with both CAs' directories given and the session on {@code clock} (a {@link TestTime} in failover tests). */
    CompositionRoot workspace(Path root, String certificates, java.net.URI primaryDirectory, java.net.URI secondaryDirectory, Clock clock) throws Exception {
        return workspace(root, "", certificates, primaryDirectory, secondaryDirectory, clock);
    }

    /** The same with more host entries ({@code extraHosts}: YAML list items) after the lab's two. */
    public CompositionRoot workspace(Path root, String extraHosts, String certificates, java.net.URI primaryDirectory, java.net.URI secondaryDirectory,
                             Clock clock) throws Exception {
        Workspace ws = new Workspace(root);
        ws.create();
        Files.writeString(ws.configFile(), """
                resolvers: ["%s"]
                cas:
                  - id: primary
                    directory: %s
                    trust: %s
                    agreeToTerms: true
                    caaIdentity: primary.pebble.test
                  - id: secondary
                    directory: %s
                    staging: %s
                    trust: %s
                    agreeToTerms: true
                    caaIdentity: secondary.pebble.test
                dns:
                  - { id: lab, type: challtestsrv, url: "%s" }
                hosts:
                  - { id: web, address: local, certDir: %s, webroot: %s }
                  - { id: nowhere, address: local, certDir: %s, webroot: %s }
                %s
                certificates:
                %s
                """.formatted(dns.dnsHostPort(), primaryDirectory, primary.trustAnchorPem(), secondaryDirectory,
                secondaryDirectory, secondary.trustAnchorPem(), dns.managementUrl(), root.resolve("certs-live"), webroot,
                root.resolve("certs-live2"), unservedWebroot, extraHosts.indent(2).stripTrailing(), certificates.indent(2)));
        return new CompositionRoot(ws, Map.of("USER", "tester"), clock);
    }

    @Override
    public void close() {
        primary.close();
        secondary.close();
        nginx.close();
        dns.close();
    }
}

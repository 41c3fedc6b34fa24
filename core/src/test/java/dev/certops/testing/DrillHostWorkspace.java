package dev.certops.testing;

import dev.certops.config.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A workspace with certificate {@code web} (stored versions 1 and 2) deployed to one drill host
 * ({@code drill-1}, address: local) whose real nginx serves the live link the deploy creates.
 * Close it to stop nginx.
 */
public record DrillHostWorkspace(Workspace workspace, NginxFixture nginx, Path certDir) implements AutoCloseable {

    public static DrillHostWorkspace create(Path dir) throws Exception {
        TestTls v1 = TestTls.create(dir.resolve("v1"));
        TestTls v2 = TestTls.create(dir.resolve("v2"));
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        v1.storeAs(ws, "web", "1");
        v2.storeAs(ws, "web", "2");
        Path certDir = dir.resolve("drill-host/ssl");
        Files.createDirectories(certDir);
        int port = FreePort.tcp();
        NginxFixture nginx = NginxFixture.in(dir.resolve("nginx")).addServer("localhost", port, v1.certPem(), v1.keyPem());
        nginx.start();
        // from now on nginx reads the live link the deploy creates (picked up at the deploy's reload)
        nginx.serveLiveLinkInsteadOf(v1.certPem(), v1.keyPem(), certDir);
        Files.writeString(ws.configFile(), """
                hosts:
                  - id: drill-1
                    drill: true
                    address: local
                    certDir: %s
                    test: "%s"
                    reload: "%s"
                certificates:
                  - id: web
                    names: [localhost]
                    deploy: { waves: [[drill-1]] }
                    endpoints: [{ host: 127.0.0.1, port: %d, sni: localhost }]
                """.formatted(certDir, nginx.testCommand(), nginx.reloadCommand(), port));
        return new DrillHostWorkspace(ws, nginx, certDir);
    }

    @Override
    public void close() { nginx.close(); }
}

package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy-side commands' wiring: snippet, usage errors, a local host has no key to trust. */
class DeployCommandsTest {
    @TempDir Path dir;

    private String ws() { return dir.resolve("ws").toString(); }

    @BeforeEach
    void workspace() throws Exception {
        CliRun.run("init", "--workspace", ws());
        Files.writeString(Path.of(ws(), "certops.yaml"), String.join("\n",
                "hosts:",
                "  - id: web1",
                "    address: 10.0.0.5",
                "    user: deploy",
                "    certDir: /etc/ssl/certops",
                "  - id: here",
                "    address: local",
                "    certDir: /srv/certs",
                "certificates:",
                "  - id: api",
                "    names: [api.example.com]",
                "    deploy: { waves: [[web1]] }",
                "    endpoints: [\"api.example.com:443\"]",
                ""));
    }

    @Test
    void snippetPrintsTheLiveLinkPathsForEachServer() {
        CliRun r = CliRun.run("hosts", "snippet", "web1", "--workspace", ws());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("ssl_certificate     /etc/ssl/certops/live/fullchain.pem;",
                "ssl_certificate_key /etc/ssl/certops/live/privkey.pem;", "SSLCertificateFile    /etc/ssl/certops/live/fullchain.pem",
                "bind :443 ssl crt /etc/ssl/certops/live/combined.pem");
    }

    @Test
    void deployingAnUnknownCertificateIsAUsageError() {
        CliRun r = CliRun.run("deploy", "nope", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no certificate 'nope'");
    }

    @Test
    void deployingWithoutAStoredVersionSaysHowToGetOne() {
        CliRun r = CliRun.run("deploy", "api", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("no stored version of api", "./certops issue api");
    }

    @Test
    void trustingALocalHostExplainsThereIsNoHostKey() {
        CliRun r = CliRun.run("hosts", "trust", "here", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("address: local");
    }
}

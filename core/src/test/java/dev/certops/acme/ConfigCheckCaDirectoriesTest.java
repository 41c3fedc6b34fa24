package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.crypto.PemReader;
import dev.certops.testing.FreePort;
import dev.certops.testing.PebbleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config check} asks each CA's directory: a real Pebble with its trust anchor (ok), the same
 * Pebble without it (untrusted TLS), Pebble's management port (HTTPS, but no ACME directory there)
 * and a closed port (unreachable).
 */
class ConfigCheckCaDirectoriesTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static PebbleFixture pebble;

    @BeforeAll
    static void start() throws Exception { pebble = PebbleFixture.start(labDir.resolve("pebble")); }

    @AfterAll
    static void stop() { pebble.close(); }

    private String workspace(String cas) throws Exception {
        String ws = dir.resolve("ws").toString();
        assertThat(CliRun.run("init", "--workspace", ws).exitCode()).isZero();
        Files.writeString(Path.of(ws, "certops.yaml"), "cas:\n" + cas);
        return ws;
    }

    @Test
    void eachCaIsReportedAsOkUntrustedNotADirectoryOrUnreachable() throws Exception {
        int closed = FreePort.tcp();
        String ws = workspace("""
                  - { id: good, directory: "%s", trust: %s }
                  - { id: notrust, directory: "%s" }
                  - { id: wrongurl, directory: "%s", trust: %s }
                  - { id: down, directory: "https://127.0.0.1:%d/dir", trust: %s }
                """.formatted(pebble.directoryUrl(), pebble.trustAnchorPem(), pebble.directoryUrl(),
                pebble.managementUrl().resolve("/no-such-directory"), pebble.trustAnchorPem(), closed, pebble.trustAnchorPem()));
        String issuer = PemReader.readCertificates(pebble.trustAnchorPem()).get(0).getSubjectX500Principal().getName();

        CliRun r = CliRun.run("config", "check", "--workspace", ws, "--timeout", "5");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.out()).contains("CA good (" + pebble.directoryUrl() + "): ok")
                .contains("✘ CA notrust (" + pebble.directoryUrl() + "): untrusted TLS: the CA's TLS certificate is issued by " + issuer
                        + ", which is not trusted: add it with trust: FILE")
                .contains("✘ CA wrongurl (").contains("not an ACME directory: it answered HTTP 404")
                .contains("CA down (https://127.0.0.1:" + closed + "/dir): unreachable: connection refused at 127.0.0.1:" + closed)
                .doesNotContain("✘ CA down", "✘ CA good", "Network error", "Exception");
        assertThat(r.err()).contains("2 thing(s) certops.yaml points at cannot be used");
    }

    @Test
    void offlineAsksNoCa() throws Exception {
        String ws = workspace("  - { id: notrust, directory: \"%s\" }\n".formatted(pebble.directoryUrl()));

        CliRun r = CliRun.run("config", "check", "--workspace", ws, "--offline");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).doesNotContain("CA notrust", "untrusted");
    }
}

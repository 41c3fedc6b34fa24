package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.certops.crypto.SecretStore;
import dev.certops.testing.FreePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook whose URL is a secret, and a receiver that refuses it with an error body echoing the
 * request path (as real receivers do): the path never reaches history, alert status, audit exports
 * or the command's output; history.db, its WAL/SHM and exports are owner-only.
 */
class SecretsOutOfTheRecordTest {
    static final String SECRET_PATH = "/hooks/T0SECRET/B0SECRET/k3yK3YkeyKEYsecretPath";
    @TempDir Path dir;
    HttpServer receiver;
    String ws;

    @BeforeEach
    void receiverThatEchoesThePathInItsErrors() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePort.tcp()), 4);
        receiver.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            byte[] body = ("{\"error\":\"no route for " + x.getRequestURI().getPath() + "\"}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(404, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        receiver.start();
        ws = dir.resolve("ws").toString();
        CliRun.run("init", "--workspace", ws);
        new SecretStore(Path.of(ws, "secrets"), Optional.empty()).write("hook",
                ("http://127.0.0.1:" + receiver.getAddress().getPort() + SECRET_PATH).getBytes(StandardCharsets.UTF_8));
        Files.writeString(Path.of(ws, "certops.yaml"), "alerts:\n  - { id: ops, type: webhook, url: \"secret:hook\" }\n");
    }

    @AfterEach
    void stop() { receiver.stop(0); }

    @Test
    void aReceiverEchoingTheSecretPathLeavesItInNoRecordOutputOrExport() throws Exception {
        CliRun test = CliRun.run("alerts", "test", "--workspace", ws);
        assertThat(test.exitCode()).isEqualTo(ExitCodes.FAILED);
        CliRun status = CliRun.run("alerts", "status", "--workspace", ws);
        Path export = dir.resolve("audit.json");
        CliRun exported = CliRun.run("audit", "export", "--format", "json", "--out", export.toString(), "--workspace", ws);
        assertThat(exported.exitCode()).as(exported.err()).isZero();

        for (String text : new String[] {test.out() + test.err(), status.out() + status.err(), Files.readString(export)}) {
            assertThat(text).doesNotContain("SECRET").doesNotContain("k3yK3Y");
        }
        assertThat(Files.readString(export)).contains("alert.delivery.failed", "[redacted]");
        for (String f : new String[] {"history.db", "history.db-wal", "history.db-shm"}) {
            Path p = Path.of(ws, f);
            if (!Files.exists(p)) continue;
            assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(f).doesNotContain("k3yK3Y");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(f).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export))).isEqualTo("rw-------");
    }

    @Test
    void anInternalErrorWritesCertopsLogInTheWorkspaceOwnerOnlyAndNamesIt() throws Exception {
        Path log = Path.of(ws, "certops.log");
        Optional<Path> written = CrashLog.write(Path.of(ws), "deploy", new IllegalStateException("boom " + "k3yK3YkeyKEYsecretPath"));
        assertThat(written).contains(log);
        assertThat(Cli.internal(new IllegalStateException("boom"), written)).contains("The details are in " + log);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(Files.readString(log)).contains("internal error in 'certops deploy'", "IllegalStateException");
    }
}

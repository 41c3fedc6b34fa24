package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config check} goes on to what a valid certops.yaml points at; {@code secret set} stores what it names. */
class ConfigPreflightCommandTest {
    @TempDir Path dir;
    String ws;

    @BeforeEach
    void workspace() {
        ws = dir.resolve("ws").toString();
        assertThat(CliRun.run("init", "--workspace", ws).exitCode()).isZero();
    }

    private void config(String yaml) throws Exception { Files.writeString(Path.of(ws, "certops.yaml"), yaml); }

    private static final String REFERENCES = """
            cas:
              - { id: internal, directory: "https://acme.corp.example/dir", trust: certs/internal-ca.pem }
            dns:
              - { id: corp, type: exec, command: /usr/local/bin/dns-hook, token: "secret:dns-token" }
            hosts:
              - { id: web-1, address: web-1.corp.example, identity: ssh/deploy_ed25519, knownHosts: ssh/known_hosts, certDir: /etc/ssl/certops }
            alerts:
              - { id: ops, type: webhook, url: "secret:ops-hook" }
            """;

    @Test
    void configCheckNamesEveryReferenceThatCannotBeUsedAndExits78() throws Exception {
        config(REFERENCES);

        CliRun r = CliRun.run("config", "check", "--workspace", ws);

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.out()).contains("is valid")
                .contains("✘ cas[internal].trust: file " + Path.of(ws, "certs/internal-ca.pem") + " cannot be used: it cannot be read")
                .contains("✘ dns[corp].token: the secret 'dns-token' is not in secrets/", "certops secret set dns-token")
                .contains("✘ hosts[web-1].identity: identity file " + Path.of(ws, "ssh/deploy_ed25519") + " does not exist")
                .contains("✘ alerts[ops].url: the secret 'ops-hook' is not in secrets/")
                .contains("note: hosts[web-1].knownHosts:", "certops hosts trust web-1");
        assertThat(r.err()).contains("4 thing(s) certops.yaml points at cannot be used");
    }

    @Test
    void whenEverythingItPointsAtIsThereConfigCheckPassesWithTheUntrustedHostKeyAsANote() throws Exception {
        config(REFERENCES);
        TestTls ca = TestTls.create(dir.resolve("tls"));
        Files.createDirectories(Path.of(ws, "certs"));
        Files.copy(ca.caPem(), Path.of(ws, "certs/internal-ca.pem"));
        Files.createDirectories(Path.of(ws, "ssh"));
        Files.writeString(Path.of(ws, "ssh/deploy_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n(test)\n-----END OPENSSH PRIVATE KEY-----\n");
        assertThat(CliRun.run(Map.of(), "token-value\n", "secret", "set", "dns-token", "--workspace", ws).exitCode()).isZero();
        assertThat(CliRun.run(Map.of(), "https://hooks.example/x", "secret", "set", "ops-hook", "--workspace", ws).exitCode()).isZero();

        CliRun r = CliRun.run("config", "check", "--workspace", ws);

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).doesNotContain("✘").contains("note: hosts[web-1].knownHosts:");
    }

    @Test
    void anEmailTrustFileThatIsMissingOrHoldsNoCertificateIsNamedByConfigCheckWithWhatToGive() throws Exception {
        config("""
                alerts:
                  - { id: mail, type: email, smtp: "relay.internal:587", from: a@example.com, to: b@example.com, starttls: optional,
                      trust: certs/internal-ca.pem }
                  - { id: mail2, type: email, smtp: "relay.internal:587", from: a@example.com, to: b@example.com, starttls: optional, trust: ca.pem }
                """);
        Files.writeString(Path.of(ws, "ca.pem"), "not a certificate\n");

        CliRun r = CliRun.run("config", "check", "--workspace", ws);

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.out()).contains("is valid")
                .contains("✘ alerts[mail].trust: file " + Path.of(ws, "certs/internal-ca.pem") + " cannot be used: it cannot be read")
                .contains("✘ alerts[mail2].trust: file " + Path.of(ws, "ca.pem") + " cannot be used: it is not a PEM certificate file")
                .contains("e.g. trust: certs/internal-ca.pem");
        assertThat(CliRun.run("alerts", "status", "--workspace", ws).exitCode()).as("the configuration itself still loads").isNotEqualTo(ExitCodes.CONFIG);
    }

    @Test
    void secretSetStoresTheValueFromStandardInputWithMode0600AndNeverPrintsIt() throws Exception {
        CliRun r = CliRun.run(Map.of(), "s3cr3t-token-value\n", "secret", "set", "dns-token", "--workspace", ws);

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        Path file = Path.of(ws, "secrets", "dns-token");
        assertThat(Files.readString(file)).isEqualTo("s3cr3t-token-value");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(r.out()).contains("Stored secret dns-token", "not encrypted: set CERTOPS_PASSPHRASE").doesNotContain("s3cr3t");
        CliRun list = CliRun.run("secret", "list", "--workspace", ws);
        assertThat(list.out()).contains("dns-token").doesNotContain("s3cr3t");
    }

    @Test
    void secretSetWithAPassphraseStoresItEncrypted() throws Exception {
        CliRun r = CliRun.run(Map.of("CERTOPS_PASSPHRASE", "correct horse"), "s3cr3t\n", "secret", "set", "smtp", "--workspace", ws);

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("encrypted with the workspace passphrase");
        assertThat(Files.readAllBytes(Path.of(ws, "secrets", "smtp"))).startsWith("CERTOPSENC1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aCommandNamingACertificateInAWorkspaceWithNoneSaysToAddIt() {
        CliRun r = CliRun.run("issue", "api", "--workspace", ws);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no certificate 'api' in ", "it lists none yet: add it under certificates:").doesNotContain("known: ");
    }

    @Test
    void secretSetRefusesAHostileNameAndAnEmptyValue() {
        CliRun hostile = CliRun.run(Map.of(), "x\n", "secret", "set", "../../etc/passwd", "--workspace", ws);
        assertThat(hostile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(hostile.err()).contains("is not a secret name");
        CliRun empty = CliRun.run(Map.of(), "", "secret", "set", "dns-token", "--workspace", ws);
        assertThat(empty.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(empty.err()).contains("no value given for dns-token");
        assertThat(Path.of(ws, "secrets", "dns-token")).doesNotExist();
    }
}

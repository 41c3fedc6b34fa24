package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.AcmeLab;
import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.config.Passphrases;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encrypted workspace (account and private keys under a passphrase) renewed by the exact command the
 * written unit or crontab line runs, in a fresh process whose only way to the passphrase is the one the
 * schedule gives it — as systemd or cron would: a credentials directory holding {@code certops-passphrase}
 * ({@code LoadCredential=} from a passphrase file, {@code LoadCredentialEncrypted=} from a
 * {@code systemd-creds} credential), or {@code CERTOPS_PASSPHRASE_FILE} on the crontab line. Real Pebble.
 */
class ScheduledEncryptedRenewTest {
    private static final String PASSPHRASE = "correct horse battery staple";
    @TempDir static Path labDir;
    @TempDir static Path shared;
    static AcmeLab lab;
    static Workspace ws;
    static Path launcher;
    @TempDir Path dir;
    int versionsBefore;

    /** api issued with the passphrase: its account and private keys are encrypted. */
    @BeforeAll
    static void encryptedWorkspace() throws Exception {
        lab = new AcmeLab(labDir);
        try (var session = lab.workspace(shared.resolve("ws"), "", "- { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab } }",
                lab.primary.directoryUrl(), lab.secondary.directoryUrl(), Clock.systemUTC())) {
            ws = session.workspace();
        }
        CliRun issued = CliRun.run(Map.of("CERTOPS_PASSPHRASE", PASSPHRASE), "", "issue", "api", "--workspace", ws.root().toString());
        assertThat(issued.exitCode()).as(issued.out() + issued.err()).isZero();
        assertThat(new SecretStore(ws.secretsDir(), Optional.empty()).anyEncrypted()).isPresent();
        // the launcher a checkout or package provides, here running this build's classes
        launcher = shared.resolve("bin/certops");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.certops.cli.Cli \"$@\"\n");
        launcher.toFile().setExecutable(true);
    }

    @AfterAll
    static void stopLab() { lab.close(); }

    /**
     * api's newest version revoked (superseded): the next renew run must issue a new version. (Changing its names
     * would not do: a certificate issued seconds ago is never re-ordered by renew, so a renewal loop cannot be fed.)
     */
    @BeforeEach
    void theNewestVersionRevokedSoApiIsDue() throws Exception {
        versionsBefore = versions();
        CliRun revoked = CliRun.run(Map.of("CERTOPS_PASSPHRASE", PASSPHRASE), "", "revoke", "api", "--reason", "superseded",
                "--workspace", ws.root().toString());
        assertThat(revoked.exitCode()).as(revoked.out() + revoked.err()).isZero();
    }

    private static int versions() throws Exception {
        try (var s = Files.list(ws.certsDir().resolve("api"))) {
            return (int) s.filter(p -> p.getFileName().toString().matches("\\d+")).count();
        }
    }

    private CliRun schedule(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 1, args.length);
        all[0] = "schedule";
        all[args.length + 1] = "--launcher";
        all[args.length + 2] = launcher.toString();
        all[args.length + 3] = "--workspace=" + ws.root();
        return CliRun.run(Map.of("HOME", dir.resolve("home").toString()), "", all);
    }

    private Path passphraseFile() throws Exception {
        Path f = dir.resolve("certops-passphrase");
        Files.writeString(Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), PASSPHRASE + "\n");
        return f;
    }

    /** The value of {@code Key=} in the written service. */
    private static String setting(Path unit, String key) throws Exception {
        return Files.readAllLines(unit).stream().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow().substring(key.length() + 1);
    }

    /** Runs what the unit's ExecStart= says, with the environment systemd gives a system service: PATH and the credentials. */
    private int runAsSystemdWould(Path unit, Path credentials) throws Exception {
        List<String> command = InstalledSchedules.execStart(unit).orElseThrow();
        assertThat(command.get(0)).isEqualTo(launcher.toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(new java.io.File("/"));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put(Passphrases.ENV_CREDENTIALS_DIRECTORY, credentials.toString());
        return run(pb);
    }

    private int run(ProcessBuilder pb) throws Exception {
        Path out = dir.resolve("run.out");
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the scheduled run finishes").isTrue();
        assertThat(p.exitValue()).as(Files.readString(out)).isZero();
        return p.exitValue();
    }

    /** A private directory holding the credential, as systemd prepares it before ExecStart runs. */
    private Path credentialsDirectory() throws Exception {
        return Files.createDirectory(dir.resolve("credentials"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private void assertRenewedAgain() throws Exception {
        assertThat(versions()).as("a new version, issued by the scheduled run").isEqualTo(versionsBefore + 1);
        assertThat(Files.readString(ws.certsDir().resolve("api/" + (versionsBefore + 1) + "/cert.pem"))).isNotEmpty();
    }

    @Test
    void aSystemUnitWithAPassphraseFileRenewsThroughItsCredentialsDirectory() throws Exception {
        Path file = passphraseFile();
        CliRun installed = schedule("install", "--systemd", "--dir", dir.resolve("units").toString(), "--passphrase-file", file.toString());
        assertThat(installed.exitCode()).as(installed.err()).isZero();
        Path unit = dir.resolve("units").resolve(ScheduleUnits.SERVICE_NAME);
        assertThat(setting(unit, "LoadCredential")).isEqualTo(Passphrases.CREDENTIAL + ":" + file);

        Path credentials = credentialsDirectory();
        Files.copy(file, credentials.resolve(Passphrases.CREDENTIAL)); // what LoadCredential= does

        assertThat(runAsSystemdWould(unit, credentials)).isZero();
        assertRenewedAgain();
    }

    @Test
    void aSystemUnitWithAnEncryptedCredentialRenewsOnceSystemdDecryptedIt() throws Exception {
        Path creds = SchedulePassphrase.SYSTEMD_CREDS;
        Path credential = dir.resolve("certops-passphrase.cred");
        if (!Files.isExecutable(creds)) {
            Files.writeString(credential, "not a credential");
            CliRun refused = schedule("install", "--systemd", "--dir", dir.resolve("units").toString(), "--passphrase-credential", credential.toString());
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(refused.err()).contains("systemd-creds is not installed").contains("--passphrase-file");
            assertThat(dir.resolve("units")).doesNotExist();
            return; // a machine without systemd-creds: the refusal is the behaviour to check
        }
        Process enc = new ProcessBuilder(creds.toString(), "encrypt", "--name=" + Passphrases.CREDENTIAL, "-", credential.toString())
                .redirectErrorStream(true).start();
        enc.getOutputStream().write((PASSPHRASE + "\n").getBytes(StandardCharsets.UTF_8));
        enc.getOutputStream().close();
        String encOut = new String(enc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(enc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(enc.exitValue()).as(encOut).isZero();

        CliRun installed = schedule("install", "--systemd", "--dir", dir.resolve("units").toString(), "--passphrase-credential", credential.toString());
        assertThat(installed.exitCode()).as(installed.err()).isZero();
        Path unit = dir.resolve("units").resolve(ScheduleUnits.SERVICE_NAME);
        assertThat(setting(unit, "LoadCredentialEncrypted")).isEqualTo(Passphrases.CREDENTIAL + ":" + credential);

        Path credentials = credentialsDirectory();
        Process dec = new ProcessBuilder(creds.toString(), "decrypt", "--name=" + Passphrases.CREDENTIAL, credential.toString(),
                credentials.resolve(Passphrases.CREDENTIAL).toString()).redirectErrorStream(true).start(); // what LoadCredentialEncrypted= does
        String decOut = new String(dec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dec.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dec.exitValue()).as(decOut).isZero();

        assertThat(runAsSystemdWould(unit, credentials)).isZero();
        assertRenewedAgain();
    }

    @Test
    void aCrontabLineWithAPassphraseFileRenews() throws Exception {
        Path file = passphraseFile();
        CliRun installed = schedule("install", "--cron", "--passphrase-file", file.toString());
        assertThat(installed.exitCode()).as(installed.err()).isZero();
        String line = installed.out().lines().filter(l -> l.matches("\\d+ \\* \\* \\* \\* .*")).findFirst().orElseThrow();
        String command = line.replaceFirst("^\\d+ \\* \\* \\* \\* ", "").replace("\\%", "%"); // as cron hands it to sh

        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile());
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "SHELL", "/bin/sh", "HOME", dir.toString(), "LOGNAME", "root"));
        pb.environment().clear();
        pb.environment().putAll(env);

        assertThat(run(pb)).isZero();
        assertRenewedAgain();
    }
}

package dev.certops.renew;

import dev.certops.config.Passphrases;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.renew.ScheduleLauncher.ScheduleException;
import dev.certops.renew.ScheduleUnits.EncryptedCredential;
import dev.certops.renew.ScheduleUnits.PassphraseDelivery;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether a scheduled renew run could decrypt the workspace: an encrypted workspace (a secret stored
 * encrypted, or a passphrase in this shell) needs the passphrase delivered to the run, and what is
 * delivered must decrypt the workspace's secrets. A schedule that would fail every hour is refused.
 */
public final class SchedulePassphrase {
    static final Path SYSTEMD_CREDS = Path.of("/usr/bin/systemd-creds");

    private SchedulePassphrase() { }

    /** How to give the timer the passphrase, in words (the refusal's next step). */
    public static String howTo(boolean cron) {
        String file = "for " + (cron ? "cron" : "cron or a --user unit") + ", a file only the timer's user can read"
                + " (install -m 600 /dev/null ~/.certops-passphrase; write the passphrase into it) and add --passphrase-file ~/.certops-passphrase";
        if (cron) return file;
        return "for a system unit, an encrypted systemd credential: `systemd-creds encrypt --name=" + Passphrases.CREDENTIAL
                + " - /etc/credstore.encrypted/" + Passphrases.CREDENTIAL + "` (type the passphrase, then Ctrl-D twice) and add"
                + " --passphrase-credential /etc/credstore.encrypted/" + Passphrases.CREDENTIAL + "; or " + file;
    }

    /**
     * Checks that a run scheduled with {@code delivery} can decrypt {@code ws}.
     *
     * @param user a systemd user unit (no encrypted host credentials there)
     * @param cron a crontab line (no systemd credentials at all)
     */
    public static void verify(Workspace ws, Map<String, String> env, Optional<PassphraseDelivery> delivery, boolean user, boolean cron)
            throws ScheduleException {
        Optional<String> encrypted;
        try {
            encrypted = new SecretStore(ws.secretsDir(), Optional.empty()).anyEncrypted();
        } catch (IOException e) {
            throw new ScheduleException("cannot read " + ws.secretsDir() + " to see whether its secrets are encrypted: " + e.getMessage());
        }
        Optional<char[]> current = Passphrases.resolve(env);
        if (delivery.isEmpty()) {
            if (encrypted.isEmpty() && current.isEmpty()) return;
            throw new ScheduleException("the workspace's secrets are encrypted (" + encrypted.map(n -> "secrets/" + n).orElse("CERTOPS_PASSPHRASE is set")
                    + ") and the timer would run without the passphrase: it could not read the account keys, nor the alert channels'"
                    + " secret URLs. Nothing was written. Give it the passphrase — " + howTo(cron));
        }
        PassphraseDelivery d = delivery.get();
        char[] given = d instanceof EncryptedCredential ? decryptCredential(d.file(), user, cron) : readFile(d.file());
        try {
            if (encrypted.isPresent()) {
                try {
                    new SecretStore(ws.secretsDir(), Optional.of(given)).read(encrypted.get());
                } catch (IOException e) {
                    throw new ScheduleException(d.file() + " does not decrypt secrets/" + encrypted.get() + ": it holds another passphrase"
                            + " than the workspace's. Nothing was written; put the workspace passphrase in it");
                }
            } else if (current.isPresent() && !Arrays.equals(current.get(), given)) {
                throw new ScheduleException(d.file() + " holds another passphrase than the one this shell gives (CERTOPS_PASSPHRASE):"
                        + " the timer would encrypt with another passphrase. Nothing was written");
            }
        } finally {
            Arrays.fill(given, '\0');
            current.ifPresent(c -> Arrays.fill(c, '\0'));
        }
    }

    private static char[] readFile(Path file) throws ScheduleException {
        try {
            return Passphrases.readFile(file);
        } catch (Passphrases.PassphraseException e) {
            throw new ScheduleException(e.getMessage().replace(Passphrases.ENV_FILE + " ", "--passphrase-file "));
        }
    }

    /** What systemd will do with {@code LoadCredentialEncrypted=}: decrypt the credential with this machine's key. */
    private static char[] decryptCredential(Path file, boolean user, boolean cron) throws ScheduleException {
        if (cron) throw new ScheduleException("cron cannot decrypt a systemd credential: " + howTo(true));
        if (user) {
            throw new ScheduleException("a --user unit cannot decrypt a credential sealed with this machine's key: " + howTo(true)
                    + ", or install a system unit (without --user) as root");
        }
        if (!Files.isRegularFile(file)) {
            throw new ScheduleException("--passphrase-credential " + file + " does not exist: " + howTo(false));
        }
        if (!Files.isExecutable(SYSTEMD_CREDS)) {
            throw new ScheduleException("systemd-creds is not installed (systemd 250 or later has it), so " + file
                    + " cannot be checked or used: " + howTo(true));
        }
        Path out = null;
        try {
            out = Files.createTempFile("certops-cred", ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Process p = new ProcessBuilder(SYSTEMD_CREDS.toString(), "decrypt", "--name=" + Passphrases.CREDENTIAL, file.toString(), "-")
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.PIPE)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new ScheduleException("systemd-creds cannot decrypt " + file + " (" + err.lines().reduce((a, b) -> b).orElse("no reason given")
                        + "): make it on this machine with `systemd-creds encrypt --name=" + Passphrases.CREDENTIAL + " - " + file + "`. Nothing was written");
            }
            return Passphrases.text(Files.readAllBytes(out), "the credential " + file);
        } catch (IOException e) {
            throw new ScheduleException("cannot run systemd-creds to check " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScheduleException("interrupted while checking " + file);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a private temporary file; the OS cleans /tmp
                }
            }
        }
    }
}

package dev.certops.renew;

import dev.certops.config.Passphrases;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code certops schedule} installs: a systemd service + timer (hourly, randomized, persistent)
 * or a crontab line, each running {@code renew --quiet --prom FILE} on one workspace, with the workspace
 * passphrase delivered the way services get secrets when the workspace is encrypted.
 *
 * @param launcher   the certops executable
 * @param workspace  the workspace to renew
 * @param promFile   where the metrics textfile goes
 * @param passphrase how the run gets the workspace passphrase, if it needs one
 */
public record ScheduleUnits(Path launcher, Path workspace, Path promFile, Optional<PassphraseDelivery> passphrase) {
    public static final String SERVICE_NAME = "certops-renew.service";
    public static final String TIMER_NAME = "certops-renew.timer";

    public ScheduleUnits(Path launcher, Path workspace, Path promFile) {
        this(launcher, workspace, promFile, Optional.empty());
    }

    /** How the scheduled run gets the workspace passphrase. */
    public sealed interface PassphraseDelivery {
        Path file();
    }

    /**
     * A credential made by {@code systemd-creds encrypt --name=certops-passphrase}: the unit loads it with
     * {@code LoadCredentialEncrypted=}; systemd decrypts it into {@code $CREDENTIALS_DIRECTORY}. systemd only.
     */
    public record EncryptedCredential(Path file) implements PassphraseDelivery { }

    /**
     * A 0600 file holding the passphrase: a unit loads it with {@code LoadCredential=} (into
     * {@code $CREDENTIALS_DIRECTORY}), a crontab line names it in {@code CERTOPS_PASSPHRASE_FILE}.
     */
    public record PassphraseFile(Path file) implements PassphraseDelivery { }

    /** The command line the schedule runs, as sh reads it (single-quoted where needed, so no expansion). */
    public String command() {
        return shellQuote(launcher) + " --workspace " + shellQuote(workspace) + " renew --quiet --prom "
                + shellQuote(promFile);
    }

    /** The command line as systemd's ExecStart reads it: its own quoting, {@code %} and {@code $} doubled. */
    String execStart() {
        return unitQuote(launcher) + " --workspace " + unitQuote(workspace) + " renew --quiet --prom "
                + unitQuote(promFile);
    }

    public String service() {
        return """
                [Unit]
                Description=certops renew for workspace %s
                Wants=network-online.target
                After=network-online.target

                [Service]
                Type=oneshot
                %sExecStart=%s
                # 75 = another renew run holds the workspace lock; not a failure
                SuccessExitStatus=75
                """.formatted(unitText(workspace), credentialLines(), execStart());
    }

    /** The passphrase as a systemd credential: certops reads $CREDENTIALS_DIRECTORY/certops-passphrase. */
    private String credentialLines() {
        return passphrase.map(d -> "# the workspace passphrase, as $CREDENTIALS_DIRECTORY/" + Passphrases.CREDENTIAL + "\n"
                + (d instanceof EncryptedCredential ? "LoadCredentialEncrypted=" : "LoadCredential=")
                + Passphrases.CREDENTIAL + ":" + credentialPath(d.file()) + "\n").orElse("");
    }

    public String timer() {
        return """
                [Unit]
                Description=Run certops renew hourly for workspace %s

                [Timer]
                OnCalendar=hourly
                RandomizedDelaySec=15min
                Persistent=true
                Unit=%s

                [Install]
                WantedBy=timers.target
                """.formatted(unitText(workspace), SERVICE_NAME);
    }

    /**
     * A crontab line: hourly at a minute derived from the workspace path, so many workspaces spread out. cron ends
     * the command at an unescaped {@code %} (the rest becomes stdin), so each is escaped.
     */
    public String cronLine() {
        if (passphrase.filter(EncryptedCredential.class::isInstance).isPresent()) {
            throw new IllegalStateException("a systemd credential cannot be given to a cron job: use a passphrase file");
        }
        int minute = Math.floorMod(workspace.toAbsolutePath().toString().hashCode(), 60);
        String env = passphrase.map(d -> Passphrases.ENV_FILE + "=" + shellQuote(d.file()) + " ").orElse("");
        return minute + " * * * * " + (env + command()).replace("%", "\\%");
    }

    private static boolean plain(String s) {
        return s.matches("[A-Za-z0-9_./+@:-]+");
    }

    private static String absolute(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("path contains a line break, which no schedule line can carry: "
                    + s.replace("\n", "\\n").replace("\r", "\\r") + " — use a path without line breaks");
        }
        return s;
    }

    /** sh: single quotes expand nothing; a single quote inside is closed, escaped and reopened. */
    private static String shellQuote(Path p) {
        String s = absolute(p);
        return plain(s) ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** systemd ExecStart: double quotes with C escapes, then specifiers ({@code %}) and variables ({@code $}) doubled. */
    private static String unitQuote(Path p) {
        String s = absolute(p);
        String quoted = plain(s) ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return quoted.replace("%", "%%").replace("$", "$$");
    }

    /**
     * A path in {@code LoadCredential[Encrypted]=ID:PATH}, which has no quoting: only plain paths ({@code %}
     * would be a specifier, a space would end the setting's value).
     */
    private static String credentialPath(Path p) {
        String s = absolute(p);
        if (!plain(s)) {
            throw new IllegalArgumentException("the passphrase file's path " + s + " cannot be written into a unit: use a path of"
                    + " letters, digits and . _ - / + @ : only, e.g. /etc/credstore.encrypted/" + Passphrases.CREDENTIAL);
        }
        return s;
    }

    /** Free text in a unit (Description): specifiers expand there, so {@code %} is doubled. */
    private static String unitText(Path p) {
        return absolute(p).replace("%", "%%");
    }
}

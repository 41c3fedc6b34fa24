package dev.certops.renew;

import java.nio.file.Path;

/**
 * What {@code certops schedule} installs: a systemd service + timer (hourly, randomized, persistent)
 * or a crontab line, each running {@code renew --quiet --prom FILE} on one workspace.
 *
 * @param launcher  the certops executable
 * @param workspace the workspace to renew
 * @param promFile  where the metrics textfile goes
 */
public record ScheduleUnits(Path launcher, Path workspace, Path promFile) {
    public static final String SERVICE_NAME = "certops-renew.service";
    public static final String TIMER_NAME = "certops-renew.timer";

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
                ExecStart=%s
                # 75 = another renew run holds the workspace lock; not a failure
                SuccessExitStatus=75
                """.formatted(unitText(workspace), execStart());
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
        int minute = Math.floorMod(workspace.toAbsolutePath().toString().hashCode(), 60);
        return minute + " * * * * " + command().replace("%", "\\%");
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

    /** Free text in a unit (Description): specifiers expand there, so {@code %} is doubled. */
    private static String unitText(Path p) {
        return absolute(p).replace("%", "%%");
    }
}

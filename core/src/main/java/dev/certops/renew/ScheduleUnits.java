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

    /** The command line the schedule runs. */
    public String command() {
        return quote(launcher) + " --workspace " + quote(workspace) + " renew --quiet --prom " + quote(promFile);
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
                """.formatted(workspace, command());
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
                """.formatted(workspace, SERVICE_NAME);
    }

    /** A crontab line: hourly at a minute derived from the workspace path, so many workspaces spread out. */
    public String cronLine() {
        int minute = Math.floorMod(workspace.toAbsolutePath().toString().hashCode(), 60);
        return minute + " * * * * " + command();
    }

    private static String quote(Path p) {
        String s = p.toAbsolutePath().toString();
        return s.matches("[A-Za-z0-9_./+@:-]+") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

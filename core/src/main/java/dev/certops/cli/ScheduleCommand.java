package dev.certops.cli;

import dev.certops.renew.RenewHistory;
import dev.certops.renew.RenewPlan;
import dev.certops.renew.RenewService;
import dev.certops.renew.ScheduleUnits;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certops schedule show | install | status}: run {@code renew} every hour on this workspace. */
@Command(name = "schedule", mixinStandardHelpOptions = true, description = "Run `certops renew` every hour: systemd timer or cron.",
        subcommands = {ScheduleCommand.Show.class, ScheduleCommand.Install.class, ScheduleCommand.Status.class})
final class ScheduleCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** Where the schedule's command line points. */
    static final class Target {
        @Option(names = "--launcher", paramLabel = "PATH", description = "The certops executable (default: $CERTOPS_LAUNCHER, else ./certops).")
        Path launcher;
        @Option(names = "--prom", paramLabel = "FILE", description = "The metrics textfile (default: <workspace>/state/renew.prom).")
        Path prom;

        ScheduleUnits units(CliContext ctx) {
            Path l = launcher != null ? launcher : Path.of(ctx.env().getOrDefault("CERTOPS_LAUNCHER", "certops"));
            Path p = prom != null ? prom : ctx.workspace().stateDir().resolve("renew.prom");
            return new ScheduleUnits(l.toAbsolutePath(), ctx.workspace().root().toAbsolutePath(), p.toAbsolutePath());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the systemd units and the crontab line; write nothing.")
    static final class Show implements Callable<Integer> {
        private final CliContext ctx;
        @ArgGroup(exclusive = false) Target target = new Target();

        Show(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() {
            ScheduleUnits u = target.units(ctx);
            PrintWriter out = ctx.out();
            out.println("# " + ScheduleUnits.SERVICE_NAME + "\n" + u.service());
            out.println("# " + ScheduleUnits.TIMER_NAME + "\n" + u.timer());
            out.println("# crontab line\n" + u.cronLine());
            return ExitCodes.OK;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Install the hourly renew run: systemd units, or the crontab line to add.",
                    "--systemd writes the service and timer (~/.config/systemd/user with --user, else /etc/systemd/system)",
                    "and prints how to enable them; --cron prints the crontab line to add."})
    static final class Install implements Callable<Integer> {
        private final CliContext ctx;
        @Option(names = "--systemd", description = "Write systemd units.") boolean systemd;
        @Option(names = "--cron", description = "Print the crontab line.") boolean cron;
        @Option(names = "--user", description = "With --systemd: user units (~/.config/systemd/user).") boolean user;
        @Option(names = "--dir", paramLabel = "DIR", description = "With --systemd: write the units here instead.") Path dir;
        @ArgGroup(exclusive = false) Target target = new Target();

        Install(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            if (systemd == cron) throw new CommandFailedException("choose one: --systemd [--user] or --cron", ExitCodes.USAGE);
            ScheduleUnits u = target.units(ctx);
            if (cron) {
                ctx.out().println("Add this line with `crontab -e`:\n" + u.cronLine());
                return ExitCodes.OK;
            }
            Path into = dir != null ? dir : user ? Path.of(ctx.env().getOrDefault("HOME", System.getProperty("user.home")), ".config/systemd/user")
                    : Path.of("/etc/systemd/system");
            try {
                Files.createDirectories(into);
                Files.writeString(into.resolve(ScheduleUnits.SERVICE_NAME), u.service());
                Files.writeString(into.resolve(ScheduleUnits.TIMER_NAME), u.timer());
            } catch (java.nio.file.AccessDeniedException e) {
                throw new CommandFailedException("cannot write " + into + " (permission denied) — run as root, or use --user for user units",
                        ExitCodes.FAILED);
            }
            String sc = user ? "systemctl --user" : "systemctl";
            ctx.out().println("Wrote " + into.resolve(ScheduleUnits.SERVICE_NAME) + " and " + into.resolve(ScheduleUnits.TIMER_NAME));
            ctx.out().println("Enable with: " + sc + " daemon-reload && " + sc + " enable --now " + ScheduleUnits.TIMER_NAME);
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "From history: last run, last success, failing certificates since when, the next certificate due and when.")
    static final class Status implements Callable<Integer> {
        private final CliContext ctx;

        Status(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            RenewHistory h = RenewHistory.read(ctx.history());
            PrintWriter out = ctx.out();
            out.println("Last run:     " + h.lastRun().map(t -> t + " (exit " + h.lastExit().orElse(0) + ")").orElse("never"));
            out.println("Last success: " + h.lastSuccess().map(Object::toString).orElse("never"));
            if (h.failing().isEmpty()) out.println("Failing:      none");
            h.failing().values().forEach(f -> out.println("Failing:      " + f.certificateId() + " since " + f.since() + " (" + f.consecutive()
                    + " failure(s), next attempt after " + f.nextAttempt() + ")"));
            RenewPlan plan = new RenewService(ctx.session(), ctx.alerts()).plan(RenewService.Request.all());
            plan.entries().stream().filter(e -> e.decision().dueAt().isPresent())
                    .min(Comparator.comparing(e -> e.decision().dueAt().get()))
                    .ifPresentOrElse(e -> out.println("Next due:     " + e.decision().certificateId() + " at " + e.decision().dueAt().get()
                            + " — " + e.decision().reason()), () -> out.println("Next due:     no managed certificate"));
            return h.failing().isEmpty() ? ExitCodes.OK : ExitCodes.WARNING;
        }
    }
}

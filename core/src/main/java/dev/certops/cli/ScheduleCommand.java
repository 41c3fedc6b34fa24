package dev.certops.cli;

import dev.certops.renew.InstalledSchedules;
import dev.certops.renew.RenewHistory;
import dev.certops.renew.RenewPlan;
import dev.certops.renew.RenewService;
import dev.certops.renew.ScheduleLauncher.ScheduleException;
import dev.certops.renew.ScheduleLauncher;
import dev.certops.renew.SchedulePassphrase;
import dev.certops.renew.ScheduleUnits.EncryptedCredential;
import dev.certops.renew.ScheduleUnits.PassphraseDelivery;
import dev.certops.renew.ScheduleUnits.PassphraseFile;
import dev.certops.renew.ScheduleUnits;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
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

    /** Where the schedule's command line points, and how it gets the workspace passphrase. */
    static final class Target {
        @Option(names = "--launcher", paramLabel = "PATH",
                description = "The certops executable (default: the one running now — the installed bin/certops or the checkout's ./certops).")
        Path launcher;
        @Option(names = "--prom", paramLabel = "FILE", description = "The metrics textfile (default: <workspace>/state/renew.prom).")
        Path prom;
        @Option(names = "--passphrase-credential", paramLabel = "FILE",
                description = "Encrypted workspace, systemd: a credential made by `systemd-creds encrypt --name=certops-passphrase - FILE`.")
        Path credential;
        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "Encrypted workspace: a file (mode 0600) holding the passphrase; cron gets CERTOPS_PASSPHRASE_FILE, systemd LoadCredential=.")
        Path passphraseFile;

        /** The units for the running launcher, checked (it exists and runs) and able to decrypt the workspace. */
        ScheduleUnits units(CliContext ctx, boolean user, boolean cron) throws ScheduleException {
            if (credential != null && passphraseFile != null) {
                throw new CommandFailedException("choose one: --passphrase-credential FILE (systemd) or --passphrase-file FILE", ExitCodes.USAGE);
            }
            Path l = launcher != null ? launcher.toAbsolutePath() : ScheduleLauncher.running(ctx.env()).orElseThrow(() -> new CommandFailedException(
                    "cannot tell which certops launcher is running (this process was not started by bin/certops or ./certops):"
                            + " pass --launcher PATH", ExitCodes.USAGE));
            ScheduleLauncher.check(l);
            Path p = prom != null ? prom : ctx.workspace().stateDir().resolve("renew.prom");
            Optional<PassphraseDelivery> delivery = credential != null ? Optional.of(new EncryptedCredential(credential.toAbsolutePath()))
                    : Optional.ofNullable(passphraseFile).map(f -> new PassphraseFile(f.toAbsolutePath()));
            SchedulePassphrase.verify(ctx.workspace(), ctx.env(), delivery, user, cron);
            try {
                ScheduleUnits units = new ScheduleUnits(l, ctx.workspace().root().toAbsolutePath(), p.toAbsolutePath(), delivery);
                if (!cron) units.service(); // a path no unit can carry is refused here, before anything is written
                return units;
            } catch (IllegalArgumentException e) {
                throw new ScheduleException(e.getMessage());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the systemd units and the crontab line; write nothing.")
    static final class Show implements Callable<Integer> {
        private final CliContext ctx;
        @ArgGroup(exclusive = false) Target target = new Target();

        Show(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            ScheduleUnits u = checked(() -> target.units(ctx, false, false));
            PrintWriter out = ctx.out();
            out.println("# " + ScheduleUnits.SERVICE_NAME + "\n" + u.service());
            out.println("# " + ScheduleUnits.TIMER_NAME + "\n" + u.timer());
            if (u.passphrase().filter(EncryptedCredential.class::isInstance).isPresent()) {
                out.println("# crontab line: none — cron cannot decrypt a systemd credential; use --passphrase-file for cron");
            } else {
                out.println("# crontab line\n" + u.cronLine());
            }
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
            ScheduleUnits u = checked(() -> target.units(ctx, user, cron));
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
                InstalledSchedules.remember(ctx.workspace(), into.resolve(ScheduleUnits.SERVICE_NAME));
            } catch (AccessDeniedException e) {
                throw new CommandFailedException("cannot write " + into + " (permission denied) — run as root, or use --user for user units",
                        ExitCodes.FAILED);
            }
            String sc = user ? "systemctl --user" : "systemctl";
            ctx.out().println("Wrote " + into.resolve(ScheduleUnits.SERVICE_NAME) + " and " + into.resolve(ScheduleUnits.TIMER_NAME)
                    + ", running " + u.launcher());
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
            int broken = reportInstalled(ctx);
            out.println("Last run:     " + h.lastRun().map(t -> t + " (exit " + h.lastExit().orElse(0) + ")").orElse("never"));
            out.println("Last success: " + h.lastSuccess().map(Object::toString).orElse("never"));
            if (h.failing().isEmpty()) out.println("Failing:      none");
            h.failing().values().forEach(f -> out.println("Failing:      " + f.certificateId() + " since " + f.since() + " (" + f.consecutive()
                    + " failure(s), next attempt after " + f.nextAttempt() + ")"));
            RenewPlan plan = new RenewService(ctx.session(), ctx.operations(), ctx.alerts()).plan(RenewService.Request.all());
            plan.entries().stream().filter(e -> e.decision().dueAt().isPresent())
                    .min(Comparator.comparing(e -> e.decision().dueAt().get()))
                    .ifPresentOrElse(e -> out.println("Next due:     " + e.decision().certificateId() + " at " + e.decision().dueAt().get()
                            + " — " + e.decision().reason()), () -> out.println("Next due:     no managed certificate"));
            return h.failing().isEmpty() && broken == 0 ? ExitCodes.OK : ExitCodes.WARNING;
        }
    }

    /** Runs a check that refuses with a {@link ScheduleException}: the refusal is the command's failure. */
    static ScheduleUnits checked(Check check) {
        try {
            return check.units();
        } catch (ScheduleException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.FAILED);
        }
    }

    interface Check {
        ScheduleUnits units() throws ScheduleException;
    }

    /**
     * Prints where the workspace's schedules are installed and warns about each whose command no longer exists
     * (an uninstalled package, a moved checkout). Returns how many are broken. Used by {@code schedule status} and {@code status}.
     */
    static int reportInstalled(CliContext ctx) {
        int broken = 0;
        for (InstalledSchedules.Installed i : InstalledSchedules.find(ctx.workspace(), ctx.env())) {
            if (i.runnable()) {
                ctx.out().println("Timer:        " + i.where() + " runs " + i.launcher());
            } else {
                broken++;
                ctx.err().println("WARNING: " + i.problem());
            }
        }
        return broken;
    }
}

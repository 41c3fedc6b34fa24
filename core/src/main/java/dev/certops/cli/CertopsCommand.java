package dev.certops.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root command. Subcommands are listed in {@link #SUBCOMMANDS}, in the order {@code --help} shows them;
 * {@link Cli} builds only the one that was typed (docs/decisions/0017).
 */
@Command(name = "certops", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"TLS certificate operations: see the estate, issue from a working CA, deploy with an atomic swap, "
                + "verify, roll back, and keep every step on record.", "Without a command, ./certops opens the console (it needs a desktop session)."},
        footer = {"", "Exit codes: 0 ok, 1 warning / retried later, 2 a person is needed, 64 usage, 78 workspace or certops.yaml invalid."})
public final class CertopsCommand implements Runnable {
    /** Every subcommand, in the order the command list shows them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            InitCommand.class, ConfigCommand.class, HistoryCommand.class, AuditCommand.class, BudgetCommand.class,
            EstateCommand.class, ImportCommand.class, SandboxCommand.class, IssueCommand.class, RevokeCommand.class, DeployCommand.class, RollbackCommand.class, HostsCommand.class, RunbookCommand.class, DrillCommand.class,
            RenewCommand.class, StatusCommand.class, ScheduleCommand.class, LeaseCommand.class, WhoamiCommand.class, TeamCommand.class, ApproveCommand.class, AlertsCommand.class, SecretCommand.class, DnsCommand.class,
            picocli.CommandLine.HelpCommand.class);

    /**
     * Each subcommand by the name (or alias) its {@code @Command} gives it, the help command left out: what
     * {@link CommandDispatch} looks the typed word up in without reading every command's annotations first (~30 ms
     * of a command's start). CommandDispatchTest checks it against the annotations.
     */
    static final Map<String, Class<?>> BY_NAME = Map.ofEntries(
            Map.entry("init", InitCommand.class), Map.entry("config", ConfigCommand.class), Map.entry("history", HistoryCommand.class),
            Map.entry("audit", AuditCommand.class), Map.entry("budget", BudgetCommand.class), Map.entry("estate", EstateCommand.class),
            Map.entry("import", ImportCommand.class), Map.entry("sandbox", SandboxCommand.class), Map.entry("issue", IssueCommand.class),
            Map.entry("revoke", RevokeCommand.class), Map.entry("deploy", DeployCommand.class), Map.entry("rollback", RollbackCommand.class),
            Map.entry("hosts", HostsCommand.class), Map.entry("runbook", RunbookCommand.class), Map.entry("drill", DrillCommand.class),
            Map.entry("renew", RenewCommand.class), Map.entry("status", StatusCommand.class), Map.entry("schedule", ScheduleCommand.class),
            Map.entry("lease", LeaseCommand.class), Map.entry("whoami", WhoamiCommand.class), Map.entry("team", TeamCommand.class),
            Map.entry("approve", ApproveCommand.class), Map.entry("alerts", AlertsCommand.class), Map.entry("secret", SecretCommand.class),
            Map.entry("dns", DnsCommand.class));

    private final CliContext ctx;
    @Spec CommandSpec spec;

    CertopsCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--workspace", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "The workspace folder (default: $CERTOPS_HOME, else ~/.certops).")
    void setWorkspace(Path dir) { ctx.setWorkspaceOption(dir); }

    @Override
    public void run() { spec.commandLine().usage(ctx.out()); }
}

package dev.certops.cli;

import java.nio.file.Path;
import java.util.List;
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

    private final CliContext ctx;
    @Spec CommandSpec spec;

    CertopsCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--workspace", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "The workspace folder (default: $CERTOPS_HOME, else ~/.certops).")
    void setWorkspace(Path dir) { ctx.setWorkspaceOption(dir); }

    @Override
    public void run() { spec.commandLine().usage(ctx.out()); }
}

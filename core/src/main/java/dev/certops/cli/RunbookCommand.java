package dev.certops.cli;

import dev.certops.runbook.Gate;
import dev.certops.runbook.RunbookDefinition;
import dev.certops.runbook.RunbookException;
import dev.certops.words.Words;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code certops runbook list|show|run|resume|runs|copy}. */
@Command(name = "runbook", mixinStandardHelpOptions = true,
        description = "Guided, resumable procedures for certificate emergencies (and the quarterly drill).",
        subcommands = {RunbookCommand.ListCommand.class, RunbookCommand.ShowCommand.class, RunbookRunCommand.class,
                RunbookRunCommand.Resume.class, RunbookRunsCommand.class, RunbookCommand.CopyCommand.class})
final class RunbookCommand implements Runnable {
    private final CliContext ctx;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    RunbookCommand(CliContext ctx) { this.ctx = ctx; }

    @Override public void run() { spec.commandLine().usage(ctx.out()); }

    /** {@code runbook list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "The built-in runbooks and the team's (workspace/runbooks/*.yaml).")
    static final class ListCommand implements Callable<Integer> {
        private final CliContext ctx;
        ListCommand(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            try {
                for (var e : ctx.session().runbooks().catalog().list()) {
                    String from = e.builtin() ? "built-in" : e.overridesBuiltin() ? "team (replaces the built-in)" : "team";
                    ctx.out().printf("%-20s %-10s %s%n", e.name(), from.startsWith("team") ? "team" : "built-in", e.title());
                }
            } catch (RunbookException e) {
                throw new CommandFailedException(e.getMessage(), ExitCodes.FAILED);
            }
            return ExitCodes.OK;
        }
    }

    /** {@code runbook show NAME}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "A runbook's parameters and steps, with their guidance.")
    static final class ShowCommand implements Callable<Integer> {
        private final CliContext ctx;
        @picocli.CommandLine.Parameters(paramLabel = "NAME", description = "The runbook's name (see ./certops runbook list).") String name;
        ShowCommand(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            RunbookDefinition d;
            try {
                d = ctx.session().runbooks().catalog().find(name);
            } catch (RunbookException e) {
                throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
            }
            var out = ctx.out();
            out.println(d.title() + "  (" + d.name() + ", " + d.source() + ")");
            if (!d.summary().isBlank()) out.println("\n" + Words.plain(d.summary().strip()));
            if (!d.params().isEmpty()) {
                out.println("\nParameters (--param NAME=VALUE):");
                for (var p : d.params()) {
                    out.println("  " + p.name() + " (" + p.type().configName() + (p.required() ? ", required" : "")
                            + p.defaultValue().map(v -> ", default " + v).orElse("") + ")" + (p.description().isEmpty() ? "" : " — " + p.description()));
                }
            }
            out.println("\nSteps:");
            int i = 1;
            int sub = 0;
            String group = null;
            for (var s : d.steps()) {
                var g = d.groupOf(s);
                if (g.isPresent() && !g.get().id().equals(group)) {
                    group = g.get().id();
                    sub = 0;
                    out.println(i++ + ". " + g.get().title() + "  [for each in " + g.get().forEach() + ", item by item: these steps in order]");
                    if (!g.get().guide().isBlank()) Words.plain(g.get().guide().strip()).lines().forEach(l -> out.println("     " + l));
                } else if (g.isEmpty()) {
                    group = null;
                }
                String number = g.isPresent() ? "   " + (i - 1) + "." + ++sub + ". " : i++ + ". ";
                String indent = g.isPresent() ? "          " : "     ";
                out.println(number + s.title() + "  (" + s.action().orElse("manual") + (s.gate() == Gate.APPROVE ? ", asks for approval" : "")
                        + (g.isEmpty() ? s.forEach().map(f -> ", for each in " + f).orElse("") : "") + ")");
                if (!s.guide().isBlank()) Words.plain(s.guide().strip()).lines().forEach(l -> out.println(indent + l));
                s.check().filter(c -> !c.isBlank()).ifPresent(c -> out.println(indent + "Check: " + Words.plain(c.strip())));
            }
            return ExitCodes.OK;
        }
    }

    /** {@code runbook copy NAME}. */
    @Command(name = "copy", mixinStandardHelpOptions = true, description = "Copy a built-in runbook into workspace/runbooks/ to adapt it.")
    static final class CopyCommand implements Callable<Integer> {
        private final CliContext ctx;
        @picocli.CommandLine.Parameters(paramLabel = "NAME", description = "The runbook's name (see ./certops runbook list).") String name;
        CopyCommand(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            try {
                ctx.out().println("Copied to " + ctx.session().runbooks().catalog().copyToTeam(name) + " — edit it; it replaces the built-in for this workspace.");
            } catch (RunbookException e) {
                throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
            }
            return ExitCodes.OK;
        }
    }
}

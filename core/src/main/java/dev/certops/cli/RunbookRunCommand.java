package dev.certops.cli;

import dev.certops.runbook.Run;
import dev.certops.runbook.RunbookDefinition;
import dev.certops.runbook.RunbookException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runbook run NAME [--param k=v ...] [--drill] [--yes] [--report DIR]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a runbook. Each step is shown before it runs; at an approve gate you approve, skip (with a reason) or abort.",
                "Exit 0 only when every step succeeded; 2 otherwise (the run can be resumed unless it was stopped or aborted)."})
final class RunbookRunCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Parameters(paramLabel = "NAME", description = "The runbook (see `certops runbook list`).") String name;
    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A runbook parameter; repeat for several.") Map<String, String> params = new LinkedHashMap<>();
    @Option(names = "--drill", description = "A drill: staging CA directories only, deploys only to hosts tagged drill: true.") boolean drill;
    @Option(names = "--yes", description = "Approve every gate without asking (for cron and CI); a failed step stops the run.") boolean yes;
    @Option(names = "--report", paramLabel = "DIR", description = "Write report.html, report.json, junit.xml and certops_drill.prom here at the end.") Path report;

    RunbookRunCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        return run(ctx, name, params, drill, yes, Optional.ofNullable(report));
    }

    static int run(CliContext ctx, String name, Map<String, String> params, boolean drill, boolean yes, Optional<Path> report) throws Exception {
        var tools = ctx.session().runbooks();
        RunDriver driver = new RunDriver(ctx, yes);
        try {
            RunbookDefinition def = tools.catalog().find(name);
            Run run = tools.engine().start(def, params, drill, driver.listener());
            return driver.drive(run, report);
        } catch (RunbookException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
        }
    }

    /** {@code runbook resume RUN_ID}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Continue a run after a crash or a pause: completed steps are never repeated; an interrupted step is re-checked first.")
    static final class Resume implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "RUN_ID", description = "From `certops runbook runs`.") String runId;
        @Option(names = "--yes", description = "Approve every remaining gate without asking.") boolean yes;
        @Option(names = "--report", paramLabel = "DIR", description = "Write the four report formats here at the end.") Path report;

        Resume(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            var tools = ctx.session().runbooks();
            RunDriver driver = new RunDriver(ctx, yes);
            try {
                Run run = tools.engine().resume(runId, driver.listener());
                if (run.state().status().finished()) {
                    throw new CommandFailedException("run " + runId + " already finished (" + run.state().status() + "); nothing to resume", ExitCodes.USAGE);
                }
                return driver.drive(run, Optional.ofNullable(report));
            } catch (RunbookException e) {
                throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
            }
        }
    }
}

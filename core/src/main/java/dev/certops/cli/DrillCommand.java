package dev.certops.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code certops drill [--report DIR]} = {@code runbook run quarterly-drill --drill --yes}. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"The quarterly drill, headless: issue, deploy, verify, roll back and revoke on drill hosts only.",
                "Every certificate deployed only to drill hosts goes through each of its CAs' staging directories in turn.",
                "Exit 0 only when every step succeeded, 2 otherwise."})
final class DrillCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Option(names = "--report", paramLabel = "DIR", description = "Write report.html, report.json, junit.xml and certops_drill.prom here.") Path report;

    DrillCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        return RunbookRunCommand.run(ctx, "quarterly-drill", Map.of(), true, true, Optional.ofNullable(report));
    }
}

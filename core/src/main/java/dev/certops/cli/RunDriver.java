package dev.certops.cli;

import dev.certops.history.HistoryException;
import dev.certops.report.ReportException;
import dev.certops.report.ReportFormats;
import dev.certops.report.RunReport;
import dev.certops.report.RunReports;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepState;
import dev.certops.words.Words;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Drives a run from the terminal: prints each step as it starts and finishes, shows the preview at
 * each gate and asks (approve / skip with a reason / abort), or approves everything with --yes.
 */
final class RunDriver {
    private final CliContext ctx;
    private final boolean yes;
    private final BufferedReader in;
    private Run run;

    RunDriver(CliContext ctx, boolean yes) {
        this.ctx = ctx;
        this.yes = yes;
        this.in = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
    }

    /** Prints the run's progress. */
    RunListener listener() {
        PrintWriter out = ctx.out();
        return new RunListener() {
            @Override public void stepStarted(StepState s) { out.println("▶ " + position(s) + s.title() + item(s) + " …"); }
            @Override public void progress(StepState s, double f, String m) { out.println("    " + m); }
            @Override public void log(StepState s, String line) { out.println("    " + line); }
            @Override public void stepFinished(StepState s) {
                String mark = switch (s.status()) { case SUCCEEDED -> "✔"; case FAILED -> "✖"; default -> "↷"; };
                String took = s.startedAt().flatMap(a -> s.finishedAt().map(b -> Duration.between(a, b))).map(d -> " (" + Words.elapsed(d) + ")").orElse("");
                out.println(mark + " " + position(s) + s.title() + item(s) + " — " + s.summary() + took);
                if (s.status() == StepState.Status.FAILED && !s.reason().isEmpty()) out.println("    next: " + s.reason());
            }
            @Override public void waitingForApproval(StepState s, ActionPreview p) {
                out.println("⏸ " + s.title());
                out.println("    " + p.summary() + (p.changesTheWorld() ? "   [changes the world]" : ""));
                p.details().forEach(d -> out.println("      " + d));
            }
            @Override public void runFinished(RunState r) { out.println("Run " + r.runId() + " " + words(r.status()) + "."); }
        };
    }

    /**
     * "[3/9] ": the step's place among the runbook's steps as written, so the count stays the same while a
     * forEach step or group runs once per item (each item's runs are numbered by the one step they repeat).
     */
    private String position(StepState s) {
        if (run == null) return "";
        var steps = run.definition().steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).id().equals(s.stepId())) return "[" + (i + 1) + "/" + steps.size() + "] ";
        }
        return "";
    }

    private static String item(StepState s) { return s.item().filter(i -> !s.title().contains(i)).map(i -> " (" + i + ")").orElse(""); }

    /** "stopped", "waiting for approval": a run's state in words. */
    static String words(RunState.Status st) { return st.name().toLowerCase(Locale.ROOT).replace('_', ' '); }

    /** Runs to the end (or until the operator leaves it for later); returns the exit code. */
    int drive(Run run, Optional<Path> reportDir) throws RunbookException, IOException {
        this.run = run;
        ctx.out().println("Run " + run.id() + ": " + run.definition().title() + (run.state().drill() ? " [DRILL: staging CAs, drill hosts only]" : ""));
        RunState s = run.advance();
        while (!s.status().finished()) {
            if (s.status() == RunState.Status.WAITING_APPROVAL) {
                if (yes) { s = run.approveBatch(); continue; }
                String a = ask("Approve? [y]es / [s]kip REASON / [a]bort / [q]uit (resume later): ");
                if (a == null || a.startsWith("q")) return paused(run);
                if (a.equals("y") || a.equals("yes")) s = run.approveBatch();
                else if (a.startsWith("s")) s = skip(run, a);
                else if (a.startsWith("a")) s = abort(run);
            } else if (s.status() == RunState.Status.FAILED) {
                if (yes) { s = run.stop(); break; }
                String a = ask("The step failed. [r]etry / [s]kip REASON / [a]bort / [q]uit (resume later): ");
                if (a == null || a.startsWith("q")) return paused(run);
                if (a.startsWith("r")) s = run.retry();
                else if (a.startsWith("s")) s = skip(run, a);
                else if (a.startsWith("a")) s = abort(run);
            } else {
                s = run.advance();
            }
        }
        boolean ok = s.status() == RunState.Status.SUCCEEDED && s.steps().stream().allMatch(x -> x.status() == StepState.Status.SUCCEEDED);
        if (reportDir.isPresent()) writeReports(run.id(), reportDir.get());
        if (!ok) ctx.out().println("Not every step succeeded (the run " + words(s.status()) + ").");
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private RunState skip(Run run, String answer) throws RunbookException {
        String reason = answer.replaceFirst("^s(kip)?\\s*", "");
        while (reason.isBlank()) {
            String r = ask("A skip needs a reason (it goes into the history and the report): ");
            if (r == null) throw new RunbookException("no reason given: the step was not skipped");
            reason = r;
        }
        return run.skip(reason);
    }

    private RunState abort(Run run) throws RunbookException {
        var deployed = run.abort();
        if (!deployed.isEmpty()) {
            ctx.out().println("This run deployed:");
            deployed.forEach(d -> ctx.out().println("  " + d.get("step") + ": " + d.get("deployed")));
            ctx.out().println("Roll back with `certops rollback CERT` where the new certificate must not stay.");
        }
        return run.state();
    }

    private int paused(Run run) {
        ctx.out().println("Run " + run.id() + " left for later: `certops runbook resume " + run.id() + "` continues where it stopped.");
        return ExitCodes.FAILED;
    }

    private String ask(String prompt) {
        ctx.out().print(prompt);
        ctx.out().flush();
        try {
            String line = in.readLine();
            if (line == null) return null;
            String t = line.strip();
            int sp = t.indexOf(' ');
            return sp < 0 ? t.toLowerCase(Locale.ROOT) : t.substring(0, sp).toLowerCase(Locale.ROOT) + t.substring(sp);
        } catch (IOException e) {
            return null;
        }
    }

    void writeReports(String runId, Path dir) {
        try {
            // every step instance the run knows (each forEach item: the untried secondary path too), then the runbook's steps
            List<RunReport.Planned> planned = run == null ? List.of() : RunReports.planned(run.definition(), run.state());
            RunReport r = RunReports.fromHistory(ctx.history(), runId, planned);
            ReportFormats.writeAll(r, dir);
            ctx.out().println("Reports written to " + dir + " (report.html, report.json, junit.xml, certops_drill.prom)"
                    + r.timeToRecover().map(t -> "; time to recover " + t.toSeconds() + " s").orElse(""));
        } catch (ReportException | HistoryException e) {
            ctx.err().println("certops: the report could not be written: " + e.getMessage());
        }
    }
}

package dev.certops.runbook.action;

import dev.certops.words.Words;
import dev.certops.config.Durations;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code wait: { for: 10m, deadline: 1h }}: lets time pass (DNS TTLs, a CA's Retry-After) with
 * progress; refuses a wait longer than its deadline so a runbook never hangs unnoticed.
 */
final class WaitAction implements RunbookAction {
    /** Sleeps; the tests' seam for time. */
    interface Sleeper { void sleep(Duration d) throws InterruptedException; }

    private final Clock clock;
    private final Sleeper sleeper;

    WaitAction(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override public String type() { return "wait"; }

    private static Duration duration(StepContext ctx, String arg, String dflt) throws RunbookException {
        String v = ctx.arg(arg).orElse(dflt);
        return Durations.parse(v).orElseThrow(() -> new RunbookException("wait: '" + v + "' is not a duration — " + Durations.ALLOWED));
    }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        return ActionPreview.readOnly("Wait " + duration(ctx, "for", "1m") + " (deadline " + duration(ctx, "deadline", "1h") + ")");
    }

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        Duration wait = duration(ctx, "for", "1m");
        Duration deadline = duration(ctx, "deadline", "1h");
        if (wait.compareTo(deadline) > 0) {
            return StepOutcome.Failed.of("a wait of " + wait + " is past its deadline of " + deadline, "shorten 'for' or raise 'deadline' in the runbook");
        }
        Instant end = clock.instant().plus(wait);
        try {
            for (Instant now = clock.instant(); now.isBefore(end); now = clock.instant()) {
                Duration left = Duration.between(now, end);
                ctx.progress(1 - left.toMillis() / (double) Math.max(1, wait.toMillis()), Words.duration(left) + " left");
                sleeper.sleep(left.compareTo(Duration.ofSeconds(1)) < 0 ? left : Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StepOutcome.Failed.of("the wait was interrupted", "retry the step to wait again");
        }
        return new StepOutcome.Succeeded("waited " + Words.duration(wait), Map.of("waited", wait.toString()));
    }
}

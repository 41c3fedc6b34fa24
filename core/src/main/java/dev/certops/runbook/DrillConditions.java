package dev.certops.runbook;

import dev.certops.alert.AlertCondition;
import dev.certops.alert.AlertScope;
import dev.certops.alert.ConditionKind;
import dev.certops.alert.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a finished drill tells the alert channels: a drill that did not succeed is a
 * {@link ConditionKind#DRILL_FAILED} condition on its runbook (the first step that failed, what it
 * said, the run to read); a later drill of the same runbook that succeeds resolves it. A run that is
 * not a drill, or not finished (left for later), says nothing.
 */
public final class DrillConditions {
    private DrillConditions() { }

    /** A drill report speaks only for its own runbook's drill condition. */
    public static AlertScope scope(String runbook) { return AlertScope.of(Set.of(ConditionKind.DRILL_FAILED), Set.of(runbook)); }

    /** Whether this run's end is reported: a drill that finished. */
    public static boolean reportable(RunState run) { return run.drill() && run.status().finished(); }

    /** The drill's condition: empty when every step succeeded, else one {@code DRILL_FAILED} on the runbook. */
    public static List<AlertCondition> of(RunState run) {
        boolean ok = run.status() == RunState.Status.SUCCEEDED && run.steps().stream().allMatch(s -> s.status() == StepState.Status.SUCCEEDED);
        if (ok) return List.of();
        Optional<StepState> failed = run.steps().stream().filter(s -> s.status() == StepState.Status.FAILED).findFirst()
                .or(() -> run.steps().stream().filter(s -> s.status() != StepState.Status.SUCCEEDED).findFirst());
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("runbook", run.runbook());
        facts.put("run", run.runId());
        facts.put("status", run.status().name().toLowerCase(Locale.ROOT));
        failed.ifPresent(s -> {
            facts.put("step", s.key());
            facts.put("stepStatus", s.status().name().toLowerCase(Locale.ROOT));
            if (!s.summary().isEmpty()) facts.put("what failed", s.summary());
            if (!s.reason().isEmpty()) facts.put("hint", s.reason());
        });
        String summary = "drill " + run.runbook() + " failed" + failed.map(s -> " at step " + s.key()
                + (s.summary().isEmpty() ? "" : ": " + s.summary())).orElse(" (" + facts.get("status") + ")");
        return List.of(new AlertCondition(ConditionKind.DRILL_FAILED, run.runbook(), Severity.WARNING, summary, facts,
                "./certops history --subject " + run.runId()));
    }
}

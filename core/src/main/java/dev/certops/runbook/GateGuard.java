package dev.certops.runbook;

/**
 * Asked when the operator approves a gate, before the step runs: a team's two-person rule answers
 * here (a second person must approve some steps). Throws when the step must keep waiting; the
 * message says who must act and how.
 */
@FunctionalInterface
public interface GateGuard {
    void beforeApproval(RunState run, StepState step, StepSpec spec, StepContext context, ActionPreview preview) throws RunbookException;

    GateGuard NONE = (run, step, spec, context, preview) -> { };
}

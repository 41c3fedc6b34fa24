package dev.certops.runbook;

import java.util.Optional;

/**
 * A typed action a step can run ({@code action: issue}). Each wraps a core service; the engine
 * shows {@link #preview} before running it and records the outcome.
 */
public interface RunbookAction {

    /** The name used in runbook files ({@code probe-ca}, {@code issue}, {@code deploy}, ...). */
    String type();

    /** What this step will do with these arguments, without doing it. */
    ActionPreview preview(StepContext ctx) throws RunbookException;

    /** Does it. Never throws for an expected failure: returns {@link StepOutcome.Failed} with the next step. */
    StepOutcome execute(StepContext ctx) throws RunbookException;

    /**
     * After a crash in the middle of this step: was it in fact completed (the order finalized, the
     * new release live and served)? Empty means "not known to be done": the engine then runs it again,
     * which actions make safe (orders are re-attached, deploys are idempotent).
     */
    default Optional<StepOutcome> recheck(StepContext ctx) throws RunbookException { return Optional.empty(); }
}

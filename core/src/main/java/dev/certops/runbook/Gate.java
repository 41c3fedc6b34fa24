package dev.certops.runbook;

/** What happens after a step's action: continue when its check passes, or wait for the operator. */
public enum Gate {
    /** Continue on its own when the step succeeded. */
    AUTO,
    /** Show exactly what the step will do and wait for the operator's approval before running it. */
    APPROVE
}

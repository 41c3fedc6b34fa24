package dev.certops.runbook;

/** Progress of a run, for the CLI and the console alike. Called on the engine's thread. */
public interface RunListener {
    default void stepStarted(StepState step) { }
    default void progress(StepState step, double fraction, String message) { }
    default void log(StepState step, String line) { }
    default void stepFinished(StepState step) { }
    default void waitingForApproval(StepState step, ActionPreview preview) { }
    default void runFinished(RunState run) { }

    RunListener NONE = new RunListener() { };
}

package dev.certops.runbook;

/**
 * Progress of a run, for the CLI and the console alike. Called on the engine's thread, or on the thread of
 * the forEach item the event is about (items run side by side) — never two calls at once: the engine
 * serialises them. A console hands each call to its UI thread.
 */
public interface RunListener {
    default void stepStarted(StepState step) { }
    default void progress(StepState step, double fraction, String message) { }
    default void log(StepState step, String line) { }
    default void stepFinished(StepState step) { }
    default void waitingForApproval(StepState step, ActionPreview preview) { }
    default void runFinished(RunState run) { }

    RunListener NONE = new RunListener() { };
}

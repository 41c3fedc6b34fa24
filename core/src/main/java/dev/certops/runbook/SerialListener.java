package dev.certops.runbook;

/**
 * A driver's listener called one event at a time, whichever item's thread reports: the items of a
 * forEach step run side by side, and a listener written for one thread (a terminal, a list the console
 * hands to its UI thread) must never see two calls at once. Each call still names its step and item.
 */
final class SerialListener implements RunListener {
    private final RunListener to;

    SerialListener(RunListener to) { this.to = to; }

    @Override public synchronized void stepStarted(StepState step) { to.stepStarted(step); }
    @Override public synchronized void progress(StepState step, double fraction, String message) { to.progress(step, fraction, message); }
    @Override public synchronized void log(StepState step, String line) { to.log(step, line); }
    @Override public synchronized void stepFinished(StepState step) { to.stepFinished(step); }
    @Override public synchronized void waitingForApproval(StepState step, ActionPreview preview) { to.waitingForApproval(step, preview); }
    @Override public synchronized void runFinished(RunState run) { to.runFinished(run); }
}

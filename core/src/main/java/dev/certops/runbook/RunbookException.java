package dev.certops.runbook;

/** A runbook cannot go on: a bad parameter, a missing service, a step referring to nothing. */
public class RunbookException extends Exception {
    private static final long serialVersionUID = 1L;

    public RunbookException(String message) { super(message); }
    public RunbookException(String message, Throwable cause) { super(message, cause); }
}

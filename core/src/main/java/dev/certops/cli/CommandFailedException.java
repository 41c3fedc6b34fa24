package dev.certops.cli;

/** A command could not do what was asked; the message says why and what to do next. */
public class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CommandFailedException(String message) { this(message, ExitCodes.FAILED); }

    public CommandFailedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}

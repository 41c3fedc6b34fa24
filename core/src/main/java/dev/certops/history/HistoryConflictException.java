package dev.certops.history;

/** Two different chains met (history migrate): nothing is merged; the message names where they differ. */
public class HistoryConflictException extends HistoryException {
    private static final long serialVersionUID = 1L;

    public HistoryConflictException(String message) { super(message); }
}

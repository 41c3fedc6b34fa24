package dev.certops.history;

/**
 * The history cannot take the record of a step that would change the world, so the step did not
 * run: "history cannot be written: CAUSE; nothing was changed".
 */
public final class HistoryUnwritableException extends HistoryException {
    private static final long serialVersionUID = 1L;

    public HistoryUnwritableException(String reason, Throwable cause) {
        super("history cannot be written: " + reason + "; nothing was changed", reason, cause);
    }
}

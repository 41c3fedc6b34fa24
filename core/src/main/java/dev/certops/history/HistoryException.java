package dev.certops.history;

/** History could not be read or written; the message names the database and what to do. */
public class HistoryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public HistoryException(String message) { this(message, message, null); }
    public HistoryException(String message, Throwable cause) { this(message, message, cause); }

    /** {@code reason}: the short cause in words ("the disk holding … is full"), for sentences built around it. */
    public HistoryException(String message, String reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The short cause, without the advice the full message adds. */
    public String reason() { return reason; }
}

package dev.certops.history;

/** History could not be read or written; the message names the database and what to do. */
public class HistoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public HistoryException(String message) { super(message); }
    public HistoryException(String message, Throwable cause) { super(message, cause); }
}

package dev.certops.report;

/** A report cannot be built or written; the message says why and what to do. */
public class ReportException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReportException(String message) { super(message); }
    public ReportException(String message, Throwable cause) { super(message, cause); }
}

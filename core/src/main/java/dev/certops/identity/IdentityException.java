package dev.certops.identity;

/** A signing key that cannot be found or used, or a signature that cannot be read; the message says what to do. */
public class IdentityException extends Exception {
    public IdentityException(String message) { super(message); }
    public IdentityException(String message, Throwable cause) { super(message, cause); }
}

package dev.certops.alert;

/**
 * A message could not be delivered. The message says what happened (never a URL, key or password);
 * {@link #hint()} says what to check; {@link #retryable()} whether trying again may help (5xx,
 * timeouts, connection errors) or not (a 4xx, a refused login).
 */
public class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String hint;
    private final boolean retryable;
    private final int attempts;

    public DeliveryException(String message, String hint, boolean retryable) { this(message, hint, retryable, 1); }

    public DeliveryException(String message, String hint, boolean retryable, int attempts) {
        super(message);
        this.hint = hint;
        this.retryable = retryable;
        this.attempts = attempts;
    }

    public String hint() { return hint; }
    public boolean retryable() { return retryable; }
    /** How many attempts were made before giving up. */
    public int attempts() { return attempts; }

    DeliveryException afterAttempts(int n) { return new DeliveryException(getMessage(), hint, retryable, n); }
}

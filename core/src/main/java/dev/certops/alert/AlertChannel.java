package dev.certops.alert;

/**
 * Where alerts go: one configured channel. {@link #send} delivers one message, with the channel's
 * own timeouts and retries, or throws a {@link DeliveryException} that names no secret.
 */
public interface AlertChannel {
    String id();

    /** webhook, slack, pagerduty or email. */
    String type();

    /** Delivers the message; returns the number of attempts it took. */
    int send(AlertMessage message) throws DeliveryException;
}

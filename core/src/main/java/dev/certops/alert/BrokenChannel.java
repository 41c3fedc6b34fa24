package dev.certops.alert;

/**
 * A configured channel that cannot be built (its secret is missing or unreadable): every send fails
 * with the reason, so the problem is recorded and shown instead of stopping the run.
 */
record BrokenChannel(String id, String type, String reason, String hint) implements AlertChannel {
    @Override
    public int send(AlertMessage message) throws DeliveryException {
        throw new DeliveryException(reason, hint, false);
    }
}

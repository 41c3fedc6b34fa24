package dev.certops.alert;

import java.util.List;

/** What one {@link Alerts#report} call did: deliveries sent and failed, per channel and condition. */
public record AlertReport(List<Delivery> deliveries) {
    public static final AlertReport EMPTY = new AlertReport(List.of());

    public AlertReport { deliveries = List.copyOf(deliveries); }

    public enum Action { TRIGGER, RESOLVE }

    /** One message to one channel. error is empty when delivered. */
    public record Delivery(String channel, String conditionKey, Action action, boolean delivered, String error) { }

    public List<Delivery> failed() { return deliveries.stream().filter(d -> !d.delivered()).toList(); }
}

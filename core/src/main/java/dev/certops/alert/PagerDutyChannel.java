package dev.certops.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.certops.json.Json;
import java.util.Locale;

/**
 * PagerDuty Events API v2. One dedup key per condition ({@code certops:} + the condition key, e.g.
 * {@code certops:expiry:api}), so a repeat or an escalation updates the same incident and the
 * resolve closes it. A test triggers and at once resolves its own event.
 */
final class PagerDutyChannel implements AlertChannel {
    private final String id;
    private final String routingKey;
    private final HttpPost post;

    PagerDutyChannel(String id, String routingKey, HttpPost post) {
        this.id = id;
        this.routingKey = routingKey;
        this.post = post;
    }

    @Override public String id() { return id; }
    @Override public String type() { return "pagerduty"; }

    @Override
    public int send(AlertMessage m) throws DeliveryException {
        int attempts = post.post(payload(routingKey, m));
        if (m.test()) {
            AlertMessage resolve = new AlertMessage(AlertReport.Action.RESOLVE, m.key(), m.kind(), m.subject(), m.severity(),
                    m.summary(), m.facts(), m.nextStep(), m.time(), m.workspace(), true);
            attempts += post.post(payload(routingKey, resolve));
        }
        return attempts;
    }

    static String dedupKey(String conditionKey) { return "certops:" + conditionKey; }

    static String payload(String routingKey, AlertMessage m) {
        ObjectNode o = Json.object();
        o.put("routing_key", routingKey);
        o.put("event_action", m.isResolve() ? "resolve" : "trigger");
        o.put("dedup_key", dedupKey(m.key()));
        if (m.isResolve()) return Json.write(o);
        o.put("client", "certops");
        ObjectNode p = o.putObject("payload");
        p.put("summary", m.summary().length() > 1024 ? m.summary().substring(0, 1023) + "…" : m.summary());
        p.put("source", "certops " + m.workspace());
        p.put("severity", m.test() ? "info" : severity(m.severity()));
        p.put("timestamp", m.time().toString());
        p.put("component", m.subject());
        p.put("class", m.kind());
        ObjectNode details = p.putObject("custom_details");
        m.facts().forEach(details::put);
        details.put("next_step", m.nextStep());
        details.put("condition", m.key());
        details.put("certops_severity", m.severity().name().toLowerCase(Locale.ROOT));
        return Json.write(o);
    }

    /** Events API severities: critical, error, warning, info. */
    static String severity(Severity s) {
        return switch (s) {
            case WARNING -> "warning";
            case CRITICAL -> "error";
            case EMERGENCY, EXPIRED -> "critical";
        };
    }
}

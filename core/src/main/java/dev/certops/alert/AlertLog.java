package dev.certops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.json.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The alert state in history: which conditions are open per channel (triggered and not resolved
 * since), and every delivery and failure. Because it lives in history it holds across runs and is
 * shared by every console in team mode.
 */
final class AlertLog {
    private final HistoryStore history;

    AlertLog(HistoryStore history) { this.history = history; }

    /** Open conditions, by channel and then condition key. */
    Map<String, Map<String, OpenCondition>> open() throws HistoryException {
        Map<String, Map<String, OpenCondition>> out = new HashMap<>();
        history.forEach(EventQuery.all().kind("alert."), e -> {
            boolean trig = e.kind().equals(EventKinds.ALERT_TRIGGERED);
            if (!trig && !e.kind().equals(EventKinds.ALERT_RESOLVED)) return;
            JsonNode d = details(e);
            String channel = d.path("channel").asText();
            String key = d.path("key").asText();
            if (trig) {
                try {
                    out.computeIfAbsent(channel, c -> new LinkedHashMap<>()).put(key, new OpenCondition(channel, key,
                            ConditionKind.valueOf(d.path("kind").asText().toUpperCase(Locale.ROOT)), e.subject(),
                            Severity.valueOf(d.path("severity").asText().toUpperCase(Locale.ROOT)), d.path("summary").asText(), e.time()));
                } catch (IllegalArgumentException unknown) {
                    // a kind or severity this version does not know: not ours to resolve
                }
            } else {
                Map<String, OpenCondition> m = out.get(channel);
                if (m != null) m.remove(key);
            }
        });
        return out;
    }

    /** The newest delivery and failure per channel. */
    Map<String, ChannelHealth> health() throws HistoryException {
        Map<String, ChannelHealth> out = new LinkedHashMap<>();
        history.forEach(EventQuery.all().kind("alert."), e -> {
            JsonNode d = details(e);
            String channel = d.path("channel").asText();
            ChannelHealth h = out.getOrDefault(channel, new ChannelHealth(channel, d.path("type").asText(),
                    Optional.empty(), Optional.empty(), "", ""));
            if (e.kind().equals(EventKinds.ALERT_DELIVERY_FAILED)) {
                h = new ChannelHealth(channel, h.type(), h.lastDelivered(), Optional.of(e.time()), d.path("error").asText(), d.path("hint").asText());
            } else {
                h = new ChannelHealth(channel, h.type(), Optional.of(e.time()), h.lastFailed(), h.lastError(), h.lastHint());
            }
            out.put(channel, h);
        });
        return out;
    }

    void triggered(AlertChannel ch, AlertMessage m, String reason, int attempts) throws HistoryException {
        Map<String, Object> d = base(ch, m.key());
        d.put("kind", m.kind());
        d.put("severity", m.severity().name().toLowerCase(Locale.ROOT));
        d.put("reason", reason);
        d.put("summary", m.summary());
        d.put("attempts", attempts);
        history.append(new NewEvent(EventKinds.ALERT_TRIGGERED, m.subject(), "ok", d));
    }

    void resolved(AlertChannel ch, AlertMessage m, int attempts) throws HistoryException {
        Map<String, Object> d = base(ch, m.key());
        d.put("kind", m.kind());
        d.put("severity", m.severity().name().toLowerCase(Locale.ROOT));
        d.put("attempts", attempts);
        history.append(new NewEvent(EventKinds.ALERT_RESOLVED, m.subject(), "ok", d));
    }

    void tested(AlertChannel ch, int attempts) throws HistoryException {
        Map<String, Object> d = base(ch, "test:" + ch.id());
        d.put("attempts", attempts);
        history.append(new NewEvent(EventKinds.ALERT_TEST, ch.id(), "ok", d));
    }

    void failed(AlertChannel ch, AlertMessage m, DeliveryException e) throws HistoryException {
        Map<String, Object> d = base(ch, m.key());
        d.put("action", m.test() ? "test" : m.action().name().toLowerCase(Locale.ROOT));
        d.put("error", e.getMessage());
        d.put("hint", e.hint());
        d.put("attempts", e.attempts());
        history.append(new NewEvent(EventKinds.ALERT_DELIVERY_FAILED, m.test() ? ch.id() : m.subject(), "failed", d));
    }

    private static Map<String, Object> base(AlertChannel ch, String key) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("channel", ch.id());
        d.put("type", ch.type());
        d.put("key", key);
        return d;
    }

    private static JsonNode details(HistoryEvent e) {
        try {
            return Json.mapper().readTree(e.details());
        } catch (Exception bad) {
            return Json.object();
        }
    }
}

package dev.certops.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.certops.json.Json;
import dev.certops.words.Words;
import java.util.Locale;

/**
 * A generic JSON POST, one object per message:
 * <pre>{@code
 * {"source":"certops","version":1,"action":"trigger","test":false,"key":"expiry:api","kind":"expiry",
 *  "subject":"api","severity":"critical","summary":"...","facts":{"daysLeft":"3",...},
 *  "nextStep":"./certops runbook run ...","time":"2025-01-01T03:00:00Z","workspace":"/srv/certops"}
 * }</pre>
 */
final class WebhookChannel implements AlertChannel {
    private final String id;
    private final HttpPost post;

    WebhookChannel(String id, HttpPost post) {
        this.id = id;
        this.post = post;
    }

    @Override public String id() { return id; }
    @Override public String type() { return "webhook"; }

    @Override
    public int send(AlertMessage m) throws DeliveryException { return post.post(payload(m)); }

    static String payload(AlertMessage m) {
        ObjectNode o = Json.object();
        o.put("source", "certops");
        o.put("version", 1);
        o.put("action", m.action().name().toLowerCase(Locale.ROOT));
        o.put("test", m.test());
        o.put("key", m.key());
        o.put("kind", m.kind());
        o.put("subject", m.subject());
        o.put("severity", m.severity().name().toLowerCase(Locale.ROOT));
        o.put("summary", m.summary());
        ObjectNode facts = o.putObject("facts");
        m.facts().forEach(facts::put);
        o.put("nextStep", m.nextStep());
        o.put("time", Words.iso(m.time()));
        o.put("workspace", m.workspace());
        return Json.write(o);
    }
}

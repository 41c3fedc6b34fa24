package dev.certops.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.certops.json.Json;
import dev.certops.words.Words;
import java.util.Map;

/**
 * A Slack incoming webhook: {@code text} (the notification line) and blocks a woken engineer can
 * read on a phone — a header with severity and subject, the summary, the facts, the exact next
 * command, and where it came from.
 */
final class SlackChannel implements AlertChannel {
    private final String id;
    private final HttpPost post;

    SlackChannel(String id, HttpPost post) {
        this.id = id;
        this.post = post;
    }

    @Override public String id() { return id; }
    @Override public String type() { return "slack"; }

    @Override
    public int send(AlertMessage m) throws DeliveryException { return post.post(payload(m)); }

    static String payload(AlertMessage m) {
        ObjectNode o = Json.object();
        o.put("text", icon(m) + " " + m.title());
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(icon(m) + " " + headline(m), 150));
        section(blocks, escape(m.summary()));
        if (!m.facts().isEmpty()) {
            StringBuilder facts = new StringBuilder();
            for (Map.Entry<String, String> f : m.facts().entrySet()) {
                facts.append("*").append(escape(f.getKey())).append(":* ").append(escape(f.getValue())).append('\n');
            }
            section(blocks, facts.toString().stripTrailing());
        }
        if (!m.nextStep().isEmpty()) section(blocks, "*Next step:*\n```" + escape(m.nextStep()) + "```");
        ObjectNode context = blocks.addObject();
        context.put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "certops · " + escape(m.workspace()) + " · " + Words.instant(m.time()) + " · key `" + escape(m.key()) + "`");
        return Json.write(o);
    }

    private static String headline(AlertMessage m) {
        if (m.test()) return "TEST — certops alerts reach this channel";
        return (m.isResolve() ? "RESOLVED" : m.severity().name()) + " — " + m.kind() + " " + m.subject();
    }

    private static String icon(AlertMessage m) {
        if (m.test()) return ":white_check_mark:";
        if (m.isResolve()) return ":large_green_circle:";
        return switch (m.severity()) {
            case WARNING -> ":warning:";
            case CRITICAL -> ":red_circle:";
            case EMERGENCY, EXPIRED -> ":rotating_light:";
        };
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        ObjectNode s = blocks.addObject();
        s.put("type", "section");
        s.putObject("text").put("type", "mrkdwn").put("text", cut(mrkdwn, 3000));
    }

    /** Slack's mrkdwn control characters. */
    static String escape(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }

    private static String cut(String s, int max) { return s.length() <= max ? s : s.substring(0, max - 1) + "…"; }
}

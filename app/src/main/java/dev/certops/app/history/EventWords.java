package dev.certops.app.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.app.common.ConsoleWords;
import dev.certops.estate.Status;
import dev.certops.history.HistoryEvent;
import dev.certops.json.Json;
import dev.certops.words.Words;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A history event as people read it: one sentence per kind ("api deployed to web1 and verified, release
 * …"), whether it is a failure, and every field labelled for the detail pane (instants in local time to
 * the second, lists joined, nested objects flattened) — never raw JSON.
 */
public final class EventWords {
    private static final ObjectMapper JSON = Json.mapper();

    private EventWords() { }

    /** The event's details as a tree; an empty object when they cannot be read. */
    static JsonNode details(HistoryEvent e) {
        try {
            return JSON.readTree(e.details());
        } catch (IOException x) {
            return JSON.createObjectNode();
        }
    }

    /** Failed, refused, rolled back, interrupted: shown red. */
    public static boolean failure(HistoryEvent e) {
        String o = e.outcome().toLowerCase(Locale.ROOT);
        return o.contains("fail") || o.equals("error") || o.contains("refused") || o.contains("rolled") || o.equals("interrupted")
                || e.kind().endsWith(".failed") || e.kind().equals("deploy.interrupted");
    }

    /** One sentence for the event. */
    public static String sentence(HistoryEvent e) {
        JsonNode d = details(e);
        String s = e.subject().isEmpty() ? "" : e.subject();
        boolean ok = !failure(e);
        String why = first(d, "reason", "error", "message", "problem", "detail");
        return switch (e.kind()) {
            case "deploy.host.finished" -> ok ? s + " deployed to " + text(d, "host") + " and verified" + with(d, ", release ", "release")
                    : s + " deploy to " + text(d, "host") + " failed" + (why.isEmpty() ? "" : ": " + why) + (d.path("rolledBack").asBoolean(false) ? " — rolled back" : "");
            case "deploy.finished" -> ok ? s + " deployed" + with(d, ", version ", "version") + with(d, " to ", "hosts") + (d.has("hosts") ? " host(s)" : "")
                    : s + " deployment failed" + with(d, " on ", "failedHost") + (why.isEmpty() ? "" : ": " + why);
            case "deploy.rollback" -> s + " rolled back" + with(d, " on ", "host") + (ok ? "" : " — failed" + (why.isEmpty() ? "" : ": " + why));
            case "acme.certificate.issued" -> s + " issued" + with(d, " by ", "ca") + with(d, ", serial ", "serial") + until(d);
            case "acme.certificate.revoked" -> s + " revoked" + with(d, " at ", "ca") + with(d, ", reason ", "reason") + with(d, ", serial ", "serial");
            case "acme.failover" -> s + ": failed over" + with(d, " from ", "from") + with(d, " to ", "to") + (why.isEmpty() ? "" : " (" + why + ")");
            case "renew.succeeded" -> s + " renewed" + with(d, " by ", "ca") + with(d, ", serial ", "serial");
            case "renew.failed" -> "Renewing " + s + " failed" + with(d, " at ", "stage") + (why.isEmpty() ? "" : ": " + why);
            case "renew.run.finished" -> "Renew run finished" + (ok ? "" : " with failures") + with(d, " (exit ", "exit") + (d.has("exit") ? ")" : "");
            case "scan.finished" -> "Estate scanned: " + scanCounts(d);
            case "scan.status.changed" -> s + " became " + first(d, "to", "status") + with(d, " (was ", "from") + (d.has("from") ? ")" : "");
            case "runbook.started" -> "Runbook " + first(d, "runbook", "name") + " started (run " + s + ")";
            case "runbook.step" -> "Run " + s + ": " + first(d, "title", "step", "stepId") + " " + e.outcome() + (why.isEmpty() ? "" : " — " + why);
            case "runbook.finished" -> "Run " + s + " " + e.outcome() + (d.path("drill").asBoolean(false) ? " (drill)" : "");
            case "lease.acquired", "lease.released", "lease.expired", "lease.broken" -> s + ": lease " + e.kind().substring("lease.".length())
                    + with(d, " — ", "operation") + with(d, ", ", "holder");
            default -> (s.isEmpty() ? "" : s + ": ") + e.kind().replace('.', ' ').replace('-', ' ') + (e.outcome().isEmpty() ? "" : " — " + e.outcome())
                    + (why.isEmpty() ? "" : ": " + why);
        };
    }

    /** "1 critical, 1 diverged, 1 ok" from a scan's per-status counts, worst first. */
    private static String scanCounts(JsonNode d) {
        List<String> parts = new ArrayList<>();
        Status[] all = Status.values();
        for (int i = all.length - 1; i >= 0; i--) {
            int n = d.path(all[i].label()).asInt(0);
            if (n > 0) parts.add(n + " " + all[i].label());
        }
        return parts.isEmpty() ? "nothing to judge" : String.join(", ", parts);
    }

    /** Every field of the event, labelled, in order: the record's own fields, then each detail. */
    public static List<Map.Entry<String, String>> fields(HistoryEvent e) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        out.add(Map.entry("What", sentence(e)));
        out.add(Map.entry("When", Words.instant(e.time())));
        out.add(Map.entry("Kind", e.kind()));
        if (!e.subject().isEmpty()) out.add(Map.entry("Subject", e.subject()));
        out.add(Map.entry("Outcome", e.outcome()));
        out.add(Map.entry("Who", e.actor()));
        out.add(Map.entry("Event number", String.valueOf(e.seq())));
        flatten("", details(e), out);
        return out;
    }

    private static void flatten(String prefix, JsonNode n, List<Map.Entry<String, String>> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var f = it.next();
                String label = prefix.isEmpty() ? label(f.getKey()) : prefix + " › " + label(f.getKey());
                if (f.getValue().isObject() && f.getValue().size() > 0) flatten(label, f.getValue(), out);
                else out.add(Map.entry(label, value(f.getValue())));
            }
        }
    }

    /** "nextAttempt" → "Next attempt". */
    static String label(String key) {
        String words = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(Locale.ROOT);
        return words.isEmpty() ? key : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String value(JsonNode v) {
        return ConsoleWords.of(raw(v));
    }

    private static String raw(JsonNode v) {
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(value(x)));
            return parts.isEmpty() ? Words.NONE : String.join(", ", parts);
        }
        if (v.isObject()) return v.size() == 0 ? Words.NONE : v.toString();
        if (v.isNull()) return Words.NONE;
        String t = v.asText();
        if (t.length() >= 20 && t.charAt(4) == '-' && t.charAt(10) == 'T') {
            try {
                return Words.instant(Instant.parse(t));
            } catch (DateTimeParseException ignored) {
                return t;
            }
        }
        return t;
    }

    private static String text(JsonNode d, String key) { return d.hasNonNull(key) ? value(d.get(key)) : ""; }

    private static String first(JsonNode d, String... keys) {
        for (String k : keys) {
            String t = text(d, k);
            if (!t.isEmpty()) return t.lines().findFirst().orElse(t);
        }
        return "";
    }

    private static String with(JsonNode d, String before, String key) {
        String t = text(d, key);
        return t.isEmpty() ? "" : before + t;
    }

    private static String until(JsonNode d) {
        String t = text(d, "notAfter");
        return t.isEmpty() ? "" : ", valid until " + t;
    }
}

package dev.certops.ratelimit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.certops.json.Json;
import dev.certops.words.TextTable;
import dev.certops.words.Words;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The text table and JSON a face (CLI {@code certops budget [--json]}, {@code certops budget plan}) prints.
 * Pure formatting: no I/O.
 */
public final class BudgetReport {
    private static final ObjectMapper JSON = Json.indented();

    private BudgetReport() { }

    public static String text(CaBudget b) {
        StringBuilder sb = new StringBuilder();
        sb.append("Budget for ").append(LimitTable.scope(b.ca(), b.staging())).append(" at ").append(Words.instant(b.at())).append('\n');
        if (b.buckets().isEmpty()) return sb.append("  every bucket is full\n").toString();
        TextTable t = new TextTable().column("LIMIT").column("FOR", 48).column("LEFT").column("NEXT ONE BACK").column("ALL BACK").column("CA SAYS", 60);
        for (BucketUsage u : b.buckets()) {
            Usage x = u.usage();
            boolean full = x.remaining() >= x.capacity() && u.caSays().isEmpty();
            t.row(u.kind().description() + " per " + per(u.bucket().refill().multipliedBy(x.capacity())),
                    u.key().isBlank() ? "this CA's account (none registered yet)" : u.key(),
                    x.remaining() + " of " + x.capacity(),
                    full ? "-" : Words.relative(x.nextTokenAt(), b.at()), full ? "full now" : Words.instant(x.fullAt()),
                    u.caSays().map(r -> r.detail()).orElse(""));
        }
        t.render().lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    /** A limit's window as the CA states it, rounded: "7 days", "3 hours" (the presets' refill rates round a little). */
    private static String per(Duration window) {
        double hours = window.toMinutes() / 60.0;
        if (hours >= 48) return Words.count(Math.round(hours / 24), "day");
        if (hours >= 2) return Words.count(Math.round(hours), "hour");
        return Words.duration(window);
    }

    public static String json(CaBudget b) {
        ObjectNode root = JSON.createObjectNode().put("ca", b.ca()).put("staging", b.staging()).put("at", Words.iso(b.at()));
        ArrayNode arr = root.putArray("buckets");
        b.buckets().forEach(u -> arr.add(node(u)));
        return write(root);
    }

    public static String text(Plan p) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Plan at %s, %s: %d now, %d later%n", Words.instant(p.at()),
                p.override() ? "override (up to the CA's capacity)" : "safety line " + Math.round(p.safetyLine() * 100) + "%",
                p.now().size(), p.later().size()));
        entries(sb, p.entries());
        return sb.toString();
    }

    public static String json(Plan p) {
        ObjectNode root = JSON.createObjectNode().put("at", p.at().toString()).put("safetyLine", p.safetyLine()).put("override", p.override());
        ArrayNode arr = root.putArray("entries");
        p.entries().forEach(e -> arr.add(node(e)));
        return write(root);
    }

    public static String text(Forecast f) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Forecast at %s: %d accepted, %d refused%n", Words.instant(f.at()), f.accepted().size(), f.refused().size()));
        entries(sb, f.entries());
        return sb.toString();
    }

    private static void entries(StringBuilder sb, List<PlanEntry> entries) {
        for (PlanEntry e : entries) {
            sb.append(String.format("  %-24s %-8s %-24s %s%s%n", e.request().certificateId(), e.asWanted() ? "now" : "later", Words.instant(e.at()),
                    e.exemption() == Exemption.NONE ? "" : "(" + e.exemption().name().toLowerCase(Locale.ROOT) + ") ",
                    e.heldBy().orElse("")));
        }
    }

    private static ObjectNode node(BucketUsage u) {
        ObjectNode n = JSON.createObjectNode().put("limit", u.kind().configKey()).put("key", u.key())
                .put("used", u.usage().used()).put("capacity", u.usage().capacity()).put("remaining", u.usage().remaining())
                .put("refill", Bucket.formatRefill(u.bucket().refill()))
                .put("nextTokenAt", Words.iso(u.usage().nextTokenAt())).put("fullAt", Words.iso(u.usage().fullAt()));
        u.caSays().ifPresent(r -> n.putObject("caSays").put("retryAfter", Words.iso(r.retryAfter())).put("detail", r.detail()));
        return n;
    }

    private static ObjectNode node(PlanEntry e) {
        ObjectNode n = JSON.createObjectNode().put("certificate", e.request().certificateId()).put("ca", e.request().ca())
                .put("at", e.at().toString()).put("now", e.asWanted()).put("exemption", e.exemption().name().toLowerCase(Locale.ROOT));
        n.putArray("names").addAll(e.request().names().stream().map(JSON.getNodeFactory()::textNode).toList());
        e.heldBy().ifPresent(h -> n.put("heldBy", h));
        return n;
    }

    private static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("budget report could not be written as JSON", e);
        }
    }
}

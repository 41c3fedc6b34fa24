package dev.certops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import dev.certops.words.TextTable;
import dev.certops.words.Words;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code certops history}: lists events; {@code certops history migrate} copies a history (see there). */
@Command(name = "history", mixinStandardHelpOptions = true, description = "List recorded events, oldest first.",
        subcommands = HistoryMigrateCommand.class)
final class HistoryCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only events since WHEN: 24h, 7d, a date or an ISO instant.")
    String since;
    @Option(names = "--until", paramLabel = "WHEN", description = "Only events before WHEN.")
    String until;
    @Option(names = "--kind", paramLabel = "PREFIX", description = "Only kinds starting with PREFIX (e.g. acme., deploy.).")
    String kind;
    @Option(names = "--subject", paramLabel = "ID", description = "Only events about ID (a certificate, host or run).")
    String subject;
    @Option(names = "--limit", paramLabel = "N", description = "At most N events (the newest N).")
    int limit;
    @Option(names = "--json", description = "JSON output for machines.")
    boolean json;

    HistoryCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        EventQuery q = EventQuery.all();
        if (since != null) q = q.since(TimeArg.parse(since, ctx.clock()));
        if (until != null) q = q.until(TimeArg.parse(until, ctx.clock()));
        if (kind != null) q = q.kind(kind);
        if (subject != null) q = q.subject(subject);
        HistoryStore store = ctx.history();
        List<HistoryEvent> events = new ArrayList<>();
        store.forEach(q, events::add);
        if (limit > 0 && events.size() > limit) events = events.subList(events.size() - limit, events.size());
        if (json) printJson(events, ctx.out());
        else printTable(events, ctx.out());
        return ExitCodes.OK;
    }

    private static void printTable(List<HistoryEvent> events, PrintWriter out) {
        if (events.isEmpty()) {
            out.println("No events match. (Every scan, issuance, deployment and runbook step is recorded here.)");
            return;
        }
        TextTable t = new TextTable().right("SEQ").column("TIME").column("KIND", 26).column("SUBJECT", 28).column("OUTCOME", 12)
                .column("ACTOR", 24).column("WHAT", 60);
        for (HistoryEvent e : events) {
            t.row(e.seq(), Words.instant(e.time()), e.kind(), e.subject(), e.outcome(), e.actor(), what(e));
        }
        out.print(t);
    }

    /** One short detail that says which part of the subject the event is about: a runbook step, a host, a version. */
    private static String what(HistoryEvent e) {
        try {
            var d = Json.mapper().readTree(e.details());
            for (String key : new String[] {"title", "step", "host", "certificate", "summary", "reason"}) {
                var v = d.get(key);
                if (v != null && v.isTextual() && !v.asText().isBlank() && !v.asText().equals(e.subject())) {
                    String text = v.asText();
                    if (key.equals("title") && d.hasNonNull("step")) text = d.get("step").asText() + ": " + text;
                    return text;
                }
            }
            return "";
        } catch (Exception ex) {
            return "";
        }
    }

    static void printJson(List<HistoryEvent> events, PrintWriter out) throws Exception {
        ObjectMapper om = Json.indented();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (HistoryEvent e : events) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", e.seq());
            m.put("time", Words.iso(e.time()));
            m.put("actor", e.actor());
            m.put("kind", e.kind());
            m.put("subject", e.subject());
            m.put("outcome", e.outcome());
            m.put("details", om.readTree(e.details()));
            m.put("hash", e.hash());
            rows.add(m);
        }
        out.println(om.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
    }
}

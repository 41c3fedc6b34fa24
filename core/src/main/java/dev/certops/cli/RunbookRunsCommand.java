package dev.certops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runbook runs [--unfinished] [--limit N]}: recent runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Recent runbook runs, newest first; unfinished ones can be resumed.")
final class RunbookRunsCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Option(names = "--unfinished", description = "Only runs that can be resumed.") boolean unfinished;
    @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default 20).") int limit = 20;

    RunbookRunsCommand(CliContext ctx) { this.ctx = ctx; }

    private record Row(String id, String runbook, String started, boolean drill, String status) { }

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = Json.mapper();
        Map<String, Row> rows = new LinkedHashMap<>();
        for (HistoryEvent e : ctx.history().query(EventQuery.all().kind("runbook."))) {
            if (e.kind().equals(EventKinds.RUNBOOK_STARTED)) {
                JsonNode d = json.readTree(e.details());
                rows.put(e.subject(), new Row(e.subject(), d.path("runbook").asText(), e.time().toString(), d.path("drill").asBoolean(), "unfinished"));
            } else if (e.kind().equals(EventKinds.RUNBOOK_FINISHED) && rows.containsKey(e.subject())) {
                Row r = rows.get(e.subject());
                rows.put(e.subject(), new Row(r.id(), r.runbook(), r.started(), r.drill(), e.outcome()));
            }
        }
        List<Row> list = new ArrayList<>(rows.values());
        Collections.reverse(list);
        int n = 0;
        for (Row r : list) {
            if (unfinished && !r.status().equals("unfinished")) continue;
            if (n++ >= limit) break;
            ctx.out().printf("%-22s %-20s %-24s %-10s%s%n", r.id(), r.runbook(), r.started(), r.status(), r.drill() ? " drill" : "");
        }
        if (n == 0) ctx.out().println(unfinished ? "No unfinished runs." : "No runs yet: `certops runbook list` shows what can be run.");
        return ExitCodes.OK;
    }
}

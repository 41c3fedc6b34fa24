package dev.certops.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's record in history: started (with the runbook text, so a resume follows the same
 * steps), every step transition, finished. Replaying these events rebuilds the run after a crash.
 */
final class RunJournal {
    private static final ObjectMapper JSON = Json.mapper();
    private final HistoryStore history;

    RunJournal(HistoryStore history) { this.history = history; }

    void started(String runId, RunbookDefinition def, Map<String, String> params, boolean drill) throws RunbookException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("runbook", def.name());
        d.put("title", def.title());
        d.put("source", def.source());
        d.put("drill", drill);
        d.put("params", params);
        d.put("definition", def.text());
        append(new NewEvent(EventKinds.RUNBOOK_STARTED, runId, drill ? "drill" : "incident", d));
    }

    void step(String runId, StepState s, boolean drill) throws RunbookException { step(runId, s, drill, ""); }

    void step(String runId, StepState s, boolean drill, String action) throws RunbookException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", s.stepId());
        d.put("title", s.title());
        if (!action.isEmpty()) d.put("action", action);
        d.put("key", s.key());
        s.item().ifPresent(i -> d.put("item", i));
        d.put("status", s.status().name());
        d.put("summary", s.summary());
        d.put("reason", s.reason());
        d.put("outputs", s.outputs());
        d.put("drill", drill);
        s.startedAt().ifPresent(t -> d.put("startedAt", t.toString()));
        s.finishedAt().ifPresent(t -> d.put("finishedAt", t.toString()));
        append(new NewEvent(EventKinds.RUNBOOK_STEP, runId, s.status().name().toLowerCase(), d));
    }

    void finished(String runId, RunState.Status status, boolean drill) throws RunbookException {
        append(new NewEvent(EventKinds.RUNBOOK_FINISHED, runId, status.name().toLowerCase(), Map.of("status", status.name(), "drill", drill)));
    }

    void note(String runId, String text) throws RunbookException {
        append(new NewEvent(EventKinds.RUNBOOK_NOTE, runId, "info", Map.of("note", text)));
    }

    /** Every event of a run, in order. */
    List<HistoryEvent> events(String runId) throws RunbookException {
        try {
            List<HistoryEvent> out = new ArrayList<>();
            history.forEach(EventQuery.all().subject(runId).kind("runbook."), out::add);
            return out;
        } catch (HistoryException e) {
            throw new RunbookException("history could not be read: " + e.getMessage(), e);
        }
    }

    /** Runs that started and never finished, newest first (offered for resume on start-up). */
    List<String> unfinishedRuns() throws RunbookException {
        Map<String, Boolean> runs = new LinkedHashMap<>();
        try {
            history.forEach(EventQuery.all().kind("runbook."), e -> {
                if (e.kind().equals(EventKinds.RUNBOOK_STARTED)) runs.put(e.subject(), false);
                if (e.kind().equals(EventKinds.RUNBOOK_FINISHED)) runs.put(e.subject(), true);
            });
        } catch (HistoryException e) {
            throw new RunbookException("history could not be read: " + e.getMessage(), e);
        }
        List<String> open = new ArrayList<>();
        runs.forEach((id, done) -> { if (!done) open.add(0, id); });
        return open;
    }

    static JsonNode details(HistoryEvent e) throws RunbookException {
        try {
            return JSON.readTree(e.details());
        } catch (Exception ex) {
            throw new RunbookException("event " + e.seq() + " has unreadable details", ex);
        }
    }

    static Map<String, Object> map(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return Map.of();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.convertValue(n, LinkedHashMap.class);
        return m;
    }

    static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private void append(NewEvent e) throws RunbookException {
        try {
            history.append(e);
        } catch (HistoryException ex) {
            throw new RunbookException("history could not be written, so the run stops here (nothing unrecorded is done): " + ex.getMessage(), ex);
        }
    }
}

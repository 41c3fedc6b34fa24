package dev.certops.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookDefinition;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds a {@link RunReport} from a run's events in history (and the failovers recorded while it ran). */
public final class RunReports {
    private static final ObjectMapper JSON = Json.mapper();

    private RunReports() { }

    /**
     * Every step a run's report lists: each step instance the run knows (every forEach item), then the runbook's steps
     * as written (those that never ran appear as not run).
     */
    public static List<RunReport.Planned> planned(RunbookDefinition def, RunState state) {
        Map<String, String> actions = new HashMap<>();
        def.steps().forEach(s -> actions.put(s.id(), s.action().orElse("manual")));
        List<RunReport.Planned> planned = new ArrayList<>();
        state.steps().forEach(s -> planned.add(new RunReport.Planned(s.key(), s.title(), actions.getOrDefault(s.stepId(), "manual"))));
        def.steps().forEach(s -> planned.add(new RunReport.Planned(s.id(), s.title(), s.action().orElse("manual"))));
        return planned;
    }

    public static RunReport fromHistory(HistoryStore history, String runId) throws HistoryException, ReportException {
        return fromHistory(history, runId, List.of());
    }

    /**
     * The report of a run, with every step of {@code planned} (the runbook's steps as written) in it: a step that
     * never ran, or was left waiting, appears as NOT_RUN with the reason (the run stopped at a failed step, was
     * aborted, or had nothing for it to do).
     */
    public static RunReport fromHistory(HistoryStore history, String runId, List<RunReport.Planned> planned) throws HistoryException, ReportException {
        List<HistoryEvent> events = history.query(EventQuery.all().subject(runId).kind("runbook."));
        HistoryEvent start = events.stream().filter(e -> e.kind().equals(EventKinds.RUNBOOK_STARTED)).findFirst()
                .orElseThrow(() -> new ReportException("no run '" + runId + "' in history — `certops runbook runs` lists them"));
        JsonNode sd = json(start);
        Map<String, String> params = new LinkedHashMap<>();
        sd.path("params").fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
        Set<String> actors = new LinkedHashSet<>();
        Map<String, RunReport.Step> steps = new LinkedHashMap<>();
        List<RunReport.Issued> issued = new ArrayList<>();
        List<RunReport.Deployment> deployments = new ArrayList<>();
        List<RunReport.Decision> decisions = new ArrayList<>();
        Optional<Instant> finished = Optional.empty();
        String status = "RUNNING";
        Optional<Instant> lastVerified = Optional.empty();
        for (HistoryEvent e : events) {
            actors.add(e.actor());
            JsonNode d = json(e);
            switch (e.kind()) {
                case EventKinds.RUNBOOK_STEP -> {
                    String key = d.path("key").asText();
                    String st = d.path("status").asText();
                    String reason = d.path("reason").asText("");
                    RunReport.Step prev = steps.get(key);
                    RunReport.Step step = new RunReport.Step(key, d.path("title").asText(key), d.path("action").asText("manual"), st,
                            d.path("summary").asText(""), reason, time(d, "startedAt"), time(d, "finishedAt"), e.actor());
                    steps.put(key, step);
                    if (st.equals("SKIPPED") && !reason.equals("empty set")) decisions.add(new RunReport.Decision(e.time(), e.actor(), "skip", key, reason));
                    if (st.equals("PENDING") && prev != null && prev.status().equals("FAILED")) decisions.add(new RunReport.Decision(e.time(), e.actor(), "retry", key, prev.summary()));
                    if ((st.equals("RUNNING") || st.equals("SUCCEEDED")) && prev != null && prev.status().equals("WAITING_APPROVAL")) decisions.add(new RunReport.Decision(e.time(), e.actor(), "approval", key, "approved"));
                    if (st.equals("SUCCEEDED")) {
                        JsonNode out = d.path("outputs");
                        if (d.path("action").asText().equals("issue") && out.hasNonNull("serial")) issued.add(new RunReport.Issued(key, out.path("certificate").asText(d.path("item").asText("")),
                                out.path("ca").asText(""), out.path("serial").asText(), out.path("notAfter").asText("")));
                        if (out.has("deployed")) {
                            JsonNode dep = out.get("deployed");
                            List<String> targets = new ArrayList<>();
                            if (dep.isArray()) dep.forEach(x -> targets.add(x.asText()));
                            else targets.add(dep.asText());
                            for (String t : targets) deployments.add(new RunReport.Deployment(key, t, e.time(), false));
                        }
                        if (out.path("verified").asBoolean(false)) {
                            lastVerified = time(d, "finishedAt").or(() -> Optional.of(e.time()));
                            for (int i = 0; i < deployments.size(); i++) {
                                RunReport.Deployment x = deployments.get(i);
                                if (!x.verified()) deployments.set(i, new RunReport.Deployment(x.step(), x.target(), x.at(), true));
                            }
                        }
                    }
                }
                case EventKinds.RUNBOOK_NOTE -> decisions.add(new RunReport.Decision(e.time(), e.actor(), "note", "", d.path("note").asText()));
                case EventKinds.RUNBOOK_FINISHED -> {
                    finished = Optional.of(e.time());
                    status = d.path("status").asText();
                    if (status.equals("ABORTED")) decisions.add(new RunReport.Decision(e.time(), e.actor(), "abort", "", "the operator aborted the run"));
                }
                default -> { }
            }
        }
        secondPersons(history, runId, decisions);
        Instant end = finished.orElse(Instant.MAX);
        for (HistoryEvent f : history.query(EventQuery.all().kind(EventKinds.ACME_FAILOVER).since(start.time()))) {
            if (f.time().isAfter(end)) break;
            JsonNode d = json(f);
            decisions.add(new RunReport.Decision(f.time(), f.actor(), "failover", f.subject(),
                    "from " + d.path("from").asText() + " to " + d.path("to").asText() + ": " + d.path("reason").asText()));
        }
        decisions.sort(Comparator.comparing(RunReport.Decision::at));
        if (finished.isPresent() && !status.equals("SUCCEEDED")) notRun(steps, planned, status);
        Optional<Instant> firstStep = steps.values().stream().flatMap(s -> s.startedAt().stream()).min(Instant::compareTo);
        Optional<Instant> verifiedAt = deployments.stream().anyMatch(RunReport.Deployment::verified) ? lastVerified : Optional.empty();
        Optional<Duration> ttr = firstStep.flatMap(f -> verifiedAt.map(v -> Duration.between(f, v)));
        return new RunReport(runId, sd.path("runbook").asText(), sd.path("title").asText(), sd.path("drill").asBoolean(), params,
                List.copyOf(actors), start.time(), finished, status, List.copyOf(steps.values()), ttr, issued, deployments, decisions);
    }

    private static void notRun(Map<String, RunReport.Step> steps, List<RunReport.Planned> planned, String status) {
        String failed = steps.values().stream().filter(s -> s.status().equals("FAILED")).map(RunReport.Step::title).reduce((a, b) -> b).orElse("");
        String why = switch (status) {
            case "ABORTED" -> "not run: the run was aborted";
            case "FAILED", "STOPPED" -> failed.isEmpty() ? "not run: the run stopped before it" : "not run: the run stopped after '" + failed + "' failed";
            default -> "not run: nothing for it to do in this run";
        };
        for (Map.Entry<String, RunReport.Step> e : steps.entrySet()) {
            RunReport.Step s = e.getValue();
            if (s.status().equals("PENDING") || s.status().equals("WAITING_APPROVAL") || s.status().equals("RUNNING")) {
                e.setValue(new RunReport.Step(s.key(), s.title(), s.action(), "NOT_RUN", s.summary(), why, s.startedAt(), s.finishedAt(), s.actor()));
            }
        }
        for (RunReport.Planned p : planned) {
            boolean seen = steps.keySet().stream().anyMatch(k -> k.equals(p.id()) || k.startsWith(p.id() + "["));
            if (!seen) steps.put(p.id(), new RunReport.Step(p.id(), p.title(), p.action(), "NOT_RUN", "", why, Optional.empty(), Optional.empty(), ""));
        }
    }

    private static Optional<Instant> time(JsonNode d, String field) {
        JsonNode v = d.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(Instant.parse(v.asText()));
    }

    private static JsonNode json(HistoryEvent e) throws ReportException {
        try {
            return JSON.readTree(e.details());
        } catch (IOException ex) {
            throw new ReportException("history event " + e.seq() + " has unreadable details; run `certops audit verify`", ex);
        }
    }

    /**
     * A team's two-person decisions on this run's gates (events {@code approval.*} with the run as subject):
     * who asked and why, who approved or refused and why — the approver beside the actor in every report.
     */
    private static void secondPersons(HistoryStore history, String runId, List<RunReport.Decision> decisions) throws HistoryException, ReportException {
        for (HistoryEvent e : history.query(EventQuery.all().subject(runId).kind("approval."))) {
            JsonNode d = json(e);
            String who = e.actor().contains("/") ? e.actor().substring(0, e.actor().indexOf('/')) : e.actor();
            switch (e.kind()) {
                case "approval.requested" -> decisions.add(new RunReport.Decision(e.time(), who, "two-person request", d.path("step").asText(),
                        d.path("why").asText()));
                case "approval.granted" -> decisions.add(new RunReport.Decision(e.time(), who, "second approval", d.path("step").asText(),
                        d.path("reason").asText()));
                case "approval.refused" -> decisions.add(new RunReport.Decision(e.time(), who, "refused by second person", d.path("step").asText(),
                        d.path("reason").asText()));
                default -> { }
            }
        }
    }
}

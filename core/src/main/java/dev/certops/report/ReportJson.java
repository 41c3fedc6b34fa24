package dev.certops.report;

import dev.certops.words.Words;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON shape of a report: plain maps with ISO-8601 instants and seconds for durations. */
final class ReportJson {
    private ReportJson() { }

    static Map<String, Object> map(RunReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", r.runId());
        m.put("runbook", r.runbook());
        m.put("title", r.title());
        m.put("drill", r.drill());
        m.put("status", r.status());
        m.put("success", r.success());
        m.put("params", r.params());
        m.put("actors", r.actors());
        m.put("startedAt", Words.iso(r.startedAt()));
        m.put("finishedAt", text(r.finishedAt()));
        m.put("durationSeconds", seconds(r.duration()));
        m.put("timeToRecoverSeconds", r.timeToRecover().map(ReportJson::seconds).orElse(null));
        List<Object> steps = new ArrayList<>();
        for (RunReport.Step s : r.steps()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("key", s.key());
            x.put("title", s.title());
            x.put("action", s.action());
            x.put("status", s.status());
            x.put("summary", s.summary());
            x.put("reason", s.reason());
            x.put("startedAt", text(s.startedAt()));
            x.put("finishedAt", text(s.finishedAt()));
            x.put("actor", s.actor());
            steps.add(x);
        }
        m.put("steps", steps);
        List<Object> issued = new ArrayList<>();
        for (RunReport.Issued i : r.issued()) {
            issued.add(Map.of("step", i.step(), "certificate", i.certificate(), "ca", i.ca(), "serial", i.serial(), "notAfter", i.notAfter()));
        }
        m.put("issued", issued);
        List<Object> deps = new ArrayList<>();
        for (RunReport.Deployment d : r.deployments()) {
            deps.add(Map.of("step", d.step(), "target", d.target(), "at", Words.iso(d.at()), "verified", d.verified()));
        }
        m.put("deployments", deps);
        List<Object> decisions = new ArrayList<>();
        for (RunReport.Decision d : r.decisions()) {
            decisions.add(Map.of("at", Words.iso(d.at()), "actor", d.actor(), "kind", d.kind(), "step", d.step(), "text", d.text()));
        }
        m.put("decisions", decisions);
        return m;
    }

    private static String text(Optional<Instant> t) { return t.map(Words::iso).orElse(null); }

    private static double seconds(Duration d) { return d.toMillis() / 1000.0; }
}

package dev.certops.estate;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Scans in history: one {@code scan.finished} event per scan (counts, duration), one
 * {@code scan.status.changed} event per certificate or extra endpoint whose status differs from the
 * previous scan's (from, to, reason) — which is also where "since when" comes from.
 */
final class StatusLog {
    private static final Set<String> TO = Set.of("to");

    /** The status a subject was last recorded with, and when it took it. */
    record Last(String status, Instant since) { }

    private final HistoryStore history;

    StatusLog(HistoryStore history) { this.history = history; }

    /**
     * The last recorded status per subject (certificate id or "host:port"): each subject's newest status change, one
     * query (history answers it; every change ever recorded was read and parsed before: ~5,000 rows on the bench's
     * workspace, growing with every flap). A newest change whose details cannot be read leaves the subject's previous
     * status to the one before it, as reading every change did: then every change is read.
     */
    Map<String, Last> previous() throws HistoryException {
        Map<String, Last> out = new HashMap<>();
        boolean[] unreadable = {false};
        history.forEachLatestPerSubject(EventKinds.SCAN_STATUS_CHANGED, ev -> {
            if (!take(ev, out)) unreadable[0] = true;
        });
        if (unreadable[0]) {
            out.clear();
            history.forEach(EventQuery.all().kind(EventKinds.SCAN_STATUS_CHANGED), ev -> take(ev, out));
        }
        return out;
    }

    /** The change's status as the subject's last; false when its details cannot be read. */
    private static boolean take(HistoryEvent ev, Map<String, Last> out) {
        try {
            out.put(ev.subject(), new Last(Json.fields(ev.details(), TO).getOrDefault("to", ""), ev.time()));
            return true;
        } catch (Exception e) {
            LoggerFactory.getLogger(StatusLog.class).debug("event {} has unreadable details; `certops audit verify` reports it", ev.seq());
            return false;
        }
    }

    /** Records the scan and returns it with "since when" filled in. */
    EstateSnapshot record(EstateSnapshot s) throws HistoryException {
        return record(s, previous());
    }

    /** Records the scan against {@code previous} (read by {@link #previous()} before, e.g. while the probes were out). */
    EstateSnapshot record(EstateSnapshot s, Map<String, Last> previous) throws HistoryException {
        List<NewEvent> events = new ArrayList<>();
        Map<String, Instant> since = new LinkedHashMap<>();
        List<CertificateView> certs = new ArrayList<>();
        for (CertificateView c : s.certificates()) {
            String reason = c.problems().isEmpty() ? c.daysLeft().map(d -> d + " days left").orElse("") : c.problems().get(0);
            Instant from = change(c.id(), c.statusLabel(), c.status(), reason, previous, events, s.at());
            since.put(c.id(), from);
            certs.add(c.since(Optional.of(from)));
        }
        for (EndpointView e : s.extraEndpoints()) {
            String reason = e.problems().isEmpty() ? e.daysLeft().map(d -> d + " days left").orElse("") : e.problems().get(0);
            since.put(e.label(), change(e.label(), e.status().label(), e.status(), reason, previous, events, s.at()));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        s.counts().forEach((k, v) -> summary.put(k.label(), v));
        summary.put("diverged", s.certificates().stream().filter(CertificateView::diverged).count());
        summary.put("endpoints", s.certificates().stream().mapToInt(c -> c.endpoints().size()).sum() + s.extraEndpoints().size());
        summary.put("changes", events.size());
        summary.put("durationMs", s.took().toMillis());
        // the outcome as history's other events word it: ok, warning, or critical (a person is needed: exit 2)
        String outcome = switch (s.attention()) { case NONE -> "ok"; case WARNING -> "warning"; case ACTION -> "critical"; };
        events.add(new NewEvent(EventKinds.SCAN_FINISHED, "estate", outcome, summary));
        history.appendAll(events);
        return new EstateSnapshot(s.at(), s.took(), certs, s.extraEndpoints(), since);
    }

    private static Instant change(String subject, String now, Status status, String reason, Map<String, Last> previous, List<NewEvent> events, Instant at) {
        Last before = previous.get(subject);
        if (before != null && before.status().equals(now)) return before.since();
        events.add(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, subject, status.label(),
                Map.of("from", before == null ? "unknown" : before.status(), "to", now, "reason", reason)));
        return at;
    }
}

package dev.certops.renew;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import dev.certops.operations.Backoff;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What history says about renewal, read in one pass over the {@code renew.*} events: the last run,
 * the last successful run (exit 0), and per certificate the failures since its last success (for
 * {@link Backoff}, {@code status} and {@code schedule status}).
 */
public record RenewHistory(Optional<Instant> lastRun, Optional<Instant> lastSuccess, Optional<Integer> lastExit,
                           Map<String, Failing> failing, Map<String, Long> failuresTotal) {
    private static final ObjectMapper JSON = Json.mapper();

    /** A certificate whose renewals failed since it last succeeded; {@code stage}: where the last failure happened (issue, deploy). */
    public record Failing(String certificateId, int consecutive, Instant since, Instant lastFailure, String stage, String reason,
                          boolean noCaWorked) {
        public Instant nextAttempt() { return Backoff.nextAttempt(lastFailure, consecutive); }
    }

    public RenewHistory {
        failing = Map.copyOf(failing);
        failuresTotal = Map.copyOf(failuresTotal);
    }

    public static RenewHistory read(HistoryStore history) throws HistoryException {
        Instant[] last = new Instant[2];
        Integer[] exit = new Integer[1];
        Map<String, Failing> failing = new LinkedHashMap<>();
        Map<String, Long> total = new LinkedHashMap<>();
        history.forEach(EventQuery.all().kind("renew."), e -> {
            switch (e.kind()) {
                case EventKinds.RENEW_RUN_FINISHED -> {
                    JsonNode d = details(e);
                    if (d.path("dryRun").asBoolean(false)) return;
                    last[0] = e.time();
                    exit[0] = d.path("exit").asInt(0);
                    if ("ok".equals(e.outcome())) last[1] = e.time();
                }
                case EventKinds.RENEW_SUCCEEDED -> failing.remove(e.subject());
                case EventKinds.RENEW_FAILED -> {
                    JsonNode d = details(e);
                    total.merge(e.subject(), 1L, Long::sum);
                    Failing before = failing.get(e.subject());
                    failing.put(e.subject(), new Failing(e.subject(), before == null ? 1 : before.consecutive() + 1,
                            before == null ? e.time() : before.since(), e.time(), d.path("stage").asText("renew"), d.path("reason").asText(""),
                            d.path("noCaWorked").asBoolean(false)));
                }
                default -> { }
            }
        });
        return new RenewHistory(Optional.ofNullable(last[0]), Optional.ofNullable(last[1]), Optional.ofNullable(exit[0]), failing, total);
    }

    public Optional<Failing> failing(String certificateId) { return Optional.ofNullable(failing.get(certificateId)); }

    private static JsonNode details(HistoryEvent e) {
        try {
            return JSON.readTree(e.details());
        } catch (IOException ex) {
            return JSON.createObjectNode();
        }
    }
}

package dev.certops.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an auditor reads about one finished run, built from its history events only.
 *
 * @param status        SUCCEEDED, FAILED, STOPPED, ABORTED or RUNNING (never finished)
 * @param timeToRecover from the first step's start to the last verified deployment, when there was one
 * @param decisions     failovers, skips with reasons, retries, approvals, notes — in order
 */
public record RunReport(String runId, String runbook, String title, boolean drill, Map<String, String> params,
                        List<String> actors, Instant startedAt, Optional<Instant> finishedAt, String status,
                        List<Step> steps, Optional<Duration> timeToRecover, List<Issued> issued,
                        List<Deployment> deployments, List<Decision> decisions) {

    public RunReport {
        params = Map.copyOf(params);
        actors = List.copyOf(actors);
        steps = List.copyOf(steps);
        issued = List.copyOf(issued);
        deployments = List.copyOf(deployments);
        decisions = List.copyOf(decisions);
    }

    /** True when every step succeeded and the run finished. */
    public boolean success() {
        return status.equals("SUCCEEDED") && steps.stream().allMatch(s -> s.status().equals("SUCCEEDED"));
    }

    /** Wall time from start to finish (or to the last event when it never finished). */
    public Duration duration() {
        Instant end = finishedAt.orElseGet(() -> steps.stream().flatMap(s -> s.finishedAt().stream()).max(Instant::compareTo).orElse(startedAt));
        return Duration.between(startedAt, end);
    }

    /** One step instance as it ended. */
    public record Step(String key, String title, String action, String status, String summary, String reason,
                       Optional<Instant> startedAt, Optional<Instant> finishedAt, String actor) {
        public Optional<Duration> duration() {
            return startedAt.flatMap(s -> finishedAt.map(f -> Duration.between(s, f)));
        }
    }

    /** A step as the runbook writes it: every one appears in a report, run or not. */
    public record Planned(String id, String title, String action) { }

    /** A certificate a step issued. */
    public record Issued(String step, String certificate, String ca, String serial, String notAfter) { }

    /** A deployment a step made, and whether a later step verified it. */
    public record Deployment(String step, String target, Instant at, boolean verified) { }

    /** A decision on record: kind is failover, skip, retry, approval, note or abort. */
    public record Decision(Instant at, String actor, String kind, String step, String text) { }
}

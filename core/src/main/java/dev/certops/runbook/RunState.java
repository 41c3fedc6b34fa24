package dev.certops.runbook;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A snapshot of a run: what the console and the CLI show, and what a report is built from. */
public record RunState(String runId, String runbook, String title, boolean drill, Map<String, String> params,
                       List<StepState> steps, Status status, Instant startedAt, Optional<Instant> finishedAt) {

    /** Where a run is. */
    public enum Status {
        RUNNING, WAITING_APPROVAL, FAILED, SUCCEEDED, ABORTED,
        /** A failed run the operator (or a headless run) closed without retrying. */
        STOPPED;

        public boolean finished() { return this == SUCCEEDED || this == ABORTED || this == STOPPED; }
    }

    public RunState {
        params = Map.copyOf(params);
        steps = List.copyOf(steps);
    }

    /** The step that needs attention or runs next. */
    public Optional<StepState> current() {
        return steps.stream().filter(s -> !s.status().done()).findFirst();
    }

    /** Completed fraction, for a progress bar. */
    public double progress() {
        if (steps.isEmpty()) return 0;
        return steps.stream().filter(s -> s.status().done()).count() / (double) steps.size();
    }
}

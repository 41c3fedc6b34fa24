package dev.certops.runbook;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One step instance of a run (a {@code forEach} step has one per item), as shown and recorded.
 *
 * @param key    "stepId" or "stepId[item]": unique within the run
 * @param reason the operator's reason for a skip, or the failure's next step
 */
public record StepState(String key, String stepId, Optional<String> item, String title, Status status,
                        String summary, Map<String, Object> outputs, Optional<Instant> startedAt,
                        Optional<Instant> finishedAt, String reason) {

    /** Where a step is. */
    public enum Status {
        PENDING, WAITING_APPROVAL, RUNNING, SUCCEEDED, FAILED, SKIPPED;

        public boolean done() { return this == SUCCEEDED || this == SKIPPED; }
    }

    public StepState {
        outputs = Map.copyOf(outputs);
    }

    static StepState pending(String stepId, Optional<String> item, String title) {
        String key = item.map(i -> stepId + "[" + i + "]").orElse(stepId);
        return new StepState(key, stepId, item, title + item.map(i -> " — " + i).orElse(""), Status.PENDING, "", Map.of(),
                Optional.empty(), Optional.empty(), "");
    }

    StepState with(Status s, String summary, Map<String, Object> outputs, Optional<Instant> started, Optional<Instant> finished, String reason) {
        return new StepState(key, stepId, item, title, s, summary, outputs, started, finished, reason);
    }
}

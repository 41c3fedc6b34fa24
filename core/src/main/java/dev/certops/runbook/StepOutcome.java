package dev.certops.runbook;

import java.util.Map;

/** How a step ended. Outputs feed later steps ({@code ${steps.ID.KEY}}) and the report. */
public sealed interface StepOutcome {
    String summary();

    Map<String, Object> outputs();

    /** The action did what it should and its check passed. */
    record Succeeded(String summary, Map<String, Object> outputs) implements StepOutcome {
        public Succeeded { outputs = Map.copyOf(outputs); }
        public static Succeeded of(String summary) { return new Succeeded(summary, Map.of()); }
    }

    /** It did not; {@code nextStep} tells the operator what to do (retry, skip with a reason, abort). */
    record Failed(String summary, String nextStep, Map<String, Object> outputs) implements StepOutcome {
        public Failed { outputs = Map.copyOf(outputs); }
        public static Failed of(String summary, String nextStep) { return new Failed(summary, nextStep, Map.of()); }
    }

    /** The operator skipped it, with a reason (mandatory, recorded). */
    record Skipped(String summary, Map<String, Object> outputs) implements StepOutcome {
        public Skipped { outputs = Map.copyOf(outputs); }
    }
}

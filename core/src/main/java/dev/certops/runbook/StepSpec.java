package dev.certops.runbook;

import java.util.Map;
import java.util.Optional;

/**
 * One step of a runbook as written: guidance for the operator, an optional typed action with its
 * arguments ({@code with:}), what proves it worked ({@code check:}), its gate, and an optional
 * {@code forEach:} set it repeats over.
 */
public record StepSpec(String id, String title, String guide, Optional<String> action, Map<String, String> with,
                       Optional<String> check, Gate gate, Optional<String> forEach, int line) {

    /** A manual step: the operator does it and confirms. */
    public boolean manual() { return action.isEmpty(); }
}

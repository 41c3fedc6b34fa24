package dev.certops.runbook;

import java.util.Map;
import java.util.Optional;

/**
 * One step of a runbook as written: guidance for the operator, an optional typed action with its
 * arguments ({@code with:}), what proves it worked ({@code check:}), its gate, and an optional
 * {@code forEach:} set it repeats over.
 *
 * <p>A step inside a group ({@code group} present) repeats with the group: the group's steps run in
 * order for the first item, then for the next ({@code forEach} is the group's set). A plain
 * {@code forEach} step runs over every item before the next step starts, its items side by side:
 * {@code concurrency} of them at once when the step says ({@code concurrency: 1} runs them one after
 * another), else the engine's default.
 */
public record StepSpec(String id, String title, String guide, Optional<String> action, Map<String, String> with,
                       Optional<String> check, Gate gate, Optional<String> forEach, Optional<String> group, int line,
                       Optional<Integer> concurrency) {

    /** A manual step: the operator does it and confirms. */
    public boolean manual() { return action.isEmpty(); }
}

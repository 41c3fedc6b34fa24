package dev.certops.runbook;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's succeeded steps produced: outputs by step (and by forEach item, so a later forEach
 * step sees its own item's {@code ${steps.ID.KEY}}), and the named sets published as {@code set.NAME}.
 * A plain step replaces a set; the items of a forEach step add to it, in order, without repeats.
 */
final class RunOutputs {
    private final Map<String, Map<String, Object>> byStep = new HashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> byItem = new HashMap<>();
    private final Map<String, List<String>> sets = new HashMap<>();

    void record(StepState s) {
        byStep.computeIfAbsent(s.stepId(), k -> new LinkedHashMap<>()).putAll(s.outputs());
        s.item().ifPresent(it -> byItem.computeIfAbsent(s.stepId(), k -> new HashMap<>()).put(it, s.outputs()));
        s.outputs().forEach((k, v) -> {
            if (k.startsWith("set.") && v instanceof List<?> l) publish(k.substring(4), l, s.item().isPresent());
        });
    }

    List<String> set(String name) { return sets.getOrDefault(name, List.of()); }

    Map<String, List<String>> sets() { return Map.copyOf(sets); }

    /** The outputs a step instance sees: every step's, with its own item's where the step ran per item. */
    Map<String, Map<String, Object>> visibleTo(Optional<String> item) {
        Map<String, Map<String, Object>> outs = new LinkedHashMap<>(byStep);
        item.ifPresent(i -> byItem.forEach((step, items) -> {
            if (items.containsKey(i)) outs.put(step, items.get(i));
        }));
        return outs;
    }

    private void publish(String name, List<?> values, boolean accumulate) {
        List<String> v = values.stream().map(String::valueOf).toList();
        if (!accumulate || !sets.containsKey(name)) {
            sets.put(name, v);
            return;
        }
        LinkedHashSet<String> merged = new LinkedHashSet<>(sets.get(name));
        merged.addAll(v);
        sets.put(name, List.copyOf(merged));
    }
}

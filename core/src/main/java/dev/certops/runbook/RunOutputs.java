package dev.certops.runbook;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a run's succeeded steps produced: outputs by step (and by forEach item, so a later forEach
 * step sees its own item's {@code ${steps.ID.KEY}}), and the named sets published as {@code set.NAME}.
 * A plain step replaces a set; the items of a forEach step add to it, in order, without repeats.
 */
final class RunOutputs {
    private final Map<String, Map<String, Object>> byStep = new HashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> byItem = new HashMap<>();
    /** Per step, each item's outputs by the item's place in the run: merged in item order, however items finished. */
    private final Map<String, TreeMap<Integer, Map<String, Object>>> itemsInOrder = new HashMap<>();
    private final Map<String, List<String>> sets = new HashMap<>();
    /** Per set, what a plain step published, and what each item added by its place in the run. */
    private final Map<String, List<String>> published = new HashMap<>();
    private final Map<String, TreeMap<Integer, List<String>>> added = new HashMap<>();

    /**
     * Records a succeeded step instance; {@code place} is its position among the run's steps, so what the
     * items of a forEach step add up to is in item order even when they finish in another.
     */
    void record(StepState s, int place) {
        if (s.item().isPresent()) {
            TreeMap<Integer, Map<String, Object>> items = itemsInOrder.computeIfAbsent(s.stepId(), k -> new TreeMap<>());
            items.put(place, s.outputs());
            Map<String, Object> merged = new LinkedHashMap<>();
            items.values().forEach(merged::putAll);
            byStep.put(s.stepId(), merged);
            byItem.computeIfAbsent(s.stepId(), k -> new HashMap<>()).put(s.item().get(), s.outputs());
        } else {
            byStep.computeIfAbsent(s.stepId(), k -> new LinkedHashMap<>()).putAll(s.outputs());
        }
        s.outputs().forEach((k, v) -> {
            if (k.startsWith("set.") && v instanceof List<?> l) publish(k.substring(4), l, s.item().isPresent(), place);
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

    /** A plain step replaces a set; the items of a forEach step add to it, in item order, without repeats. */
    private void publish(String name, List<?> values, boolean accumulate, int place) {
        List<String> v = values.stream().map(String::valueOf).toList();
        if (!accumulate) {
            published.put(name, v);
            added.remove(name);
            sets.put(name, v);
            return;
        }
        added.computeIfAbsent(name, k -> new TreeMap<>()).put(place, v);
        LinkedHashSet<String> merged = new LinkedHashSet<>(published.getOrDefault(name, List.of()));
        added.get(name).values().forEach(merged::addAll);
        sets.put(name, List.copyOf(merged));
    }
}

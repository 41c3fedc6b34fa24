package dev.certops.runbook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The engine's typed actions by name. Runbook files are validated against {@link #types()}. */
public final class ActionRegistry {
    private final Map<String, RunbookAction> actions = new LinkedHashMap<>();

    public ActionRegistry register(RunbookAction action) {
        if (actions.putIfAbsent(action.type(), action) != null) throw new IllegalArgumentException("action '" + action.type() + "' registered twice");
        return this;
    }

    public Set<String> types() { return Set.copyOf(actions.keySet()); }

    public RunbookAction get(String type) throws RunbookException {
        RunbookAction a = actions.get(type);
        if (a == null) throw new RunbookException("action '" + type + "' is not available in this installation");
        return a;
    }
}

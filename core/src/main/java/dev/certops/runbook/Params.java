package dev.certops.runbook;

import dev.certops.config.Durations;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks run parameters against the runbook's declaration and fills in defaults. */
final class Params {
    private Params() { }

    static Map<String, String> resolve(RunbookDefinition def, Map<String, String> given) throws RunbookException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : given.keySet()) {
            if (def.params().stream().noneMatch(p -> p.name().equals(k))) {
                throw new RunbookException("runbook '" + def.name() + "' has no parameter '" + k + "' — it takes: "
                        + String.join(", ", def.params().stream().map(ParamSpec::name).toList()));
            }
        }
        for (ParamSpec p : def.params()) {
            String v = given.get(p.name());
            if (v == null || v.isBlank()) v = p.defaultValue().orElse(null);
            if (v == null) {
                if (p.required()) throw new RunbookException("runbook '" + def.name() + "' needs --param " + p.name() + "=... (" + p.type().configName()
                        + (p.description().isEmpty() ? "" : ": " + p.description()) + ")");
                out.put(p.name(), "");
                continue;
            }
            check(p, v);
            out.put(p.name(), v);
        }
        return out;
    }

    private static void check(ParamSpec p, String v) throws RunbookException {
        switch (p.type()) {
            case DURATION -> {
                if (Durations.parse(v).isEmpty()) throw new RunbookException("--param " + p.name() + ": '" + v + "' is not a duration — " + Durations.ALLOWED);
            }
            case BOOLEAN -> {
                if (!v.equals("true") && !v.equals("false")) throw new RunbookException("--param " + p.name() + ": '" + v + "' is not true or false");
            }
            case NUMBER -> {
                if (!v.matches("\\d{1,9}")) throw new RunbookException("--param " + p.name() + ": '" + v + "' is not a whole number");
            }
            default -> { /* certificate/ca ids are checked by the actions against the workspace */ }
        }
    }
}

package dev.certops.team;

import dev.certops.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code team/policy.yaml}: which gates need a second person, and how long a request waits.
 * <pre>
 * twoPerson: [revoke, deploy-production, mass-revocation, lease-break]
 * approvalsExpireAfter: 1h
 * </pre>
 * It sits beside allowed_signers and is recorded with it (an admin's signed event), so the rule
 * cannot be dropped by editing a file. Without the file: all four, one hour.
 */
public record TeamPolicy(Set<String> twoPerson, Duration approvalsExpireAfter, String text) {
    public static final String FILE = "team/policy.yaml";
    public static final List<String> GATES = List.of("revoke", "deploy-production", "mass-revocation", "lease-break");
    public static final TeamPolicy DEFAULT = new TeamPolicy(new LinkedHashSet<>(GATES), Duration.ofHours(1), "");

    public TeamPolicy {
        twoPerson = Set.copyOf(twoPerson);
    }

    public boolean twoPerson(String gate) { return twoPerson.contains(gate); }

    public static TeamPolicy parse(String text, String where) throws TeamException {
        if (text.isBlank()) return DEFAULT;
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new TeamException(where + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(doc instanceof Map<?, ?> map)) throw new TeamException(where + ": expected keys twoPerson: and approvalsExpireAfter:");
        Set<String> gates = new LinkedHashSet<>(GATES);
        Duration ttl = DEFAULT.approvalsExpireAfter();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals("twoPerson")) {
                if (!(e.getValue() instanceof List<?> list)) throw new TeamException(where + ": twoPerson: must be a list, e.g. [revoke, lease-break]");
                gates = new LinkedHashSet<>();
                for (Object o : list) {
                    String g = String.valueOf(o);
                    if (!GATES.contains(g)) throw new TeamException(where + ": twoPerson: unknown gate '" + g + "' — allowed: " + String.join(", ", GATES));
                    gates.add(g);
                }
            } else if (key.equals("approvalsExpireAfter")) {
                ttl = Durations.parse(String.valueOf(e.getValue())).filter(d -> !d.isZero() && !d.isNegative())
                        .orElseThrow(() -> new TeamException(where + ": approvalsExpireAfter: '" + e.getValue() + "' is not a duration such as 30m or 2h"));
            } else {
                throw new TeamException(where + ": unknown key '" + key + "' — allowed: twoPerson, approvalsExpireAfter");
            }
        }
        return new TeamPolicy(gates, ttl, text);
    }

    /** The gates in the order they are documented. */
    public List<String> gates() {
        List<String> out = new ArrayList<>();
        for (String g : GATES) if (twoPerson.contains(g)) out.add(g);
        return out;
    }
}

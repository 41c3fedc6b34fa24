package dev.certops.alert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One condition observed now, with what a woken engineer needs: a one-line summary, facts
 * (certificate, hosts, what failed, error class, the CA's own message, days left — keys are
 * free-form, ordered by the map), and the exact next step (a command to run). Never carries secrets.
 */
public record AlertCondition(ConditionKind kind, String subject, Severity severity, String summary,
                             Map<String, String> facts, String nextStep) {
    public AlertCondition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        nextStep = nextStep == null ? "" : nextStep;
    }

    /** The identity of the condition across runs: also the PagerDuty dedup key's stem. */
    public String key() { return kind.name().toLowerCase(Locale.ROOT) + ":" + subject; }
}

package dev.certops.history;

import java.util.Map;
import java.util.Objects;

/**
 * An event about to be appended. The store adds sequence, time, actor and the chain hashes.
 * {@code details} is turned into canonical JSON (sorted keys); values must be JSON-friendly
 * (strings, numbers, booleans, lists, maps, null) and must never carry a secret.
 */
public record NewEvent(String kind, String subject, String outcome, Map<String, ?> details) {
    public NewEvent {
        Objects.requireNonNull(kind, "kind");
        subject = subject == null ? "" : subject;
        outcome = outcome == null ? "" : outcome;
        details = details == null ? Map.of() : details;
    }

    public static NewEvent of(String kind, String subject, String outcome) {
        return new NewEvent(kind, subject, outcome, Map.of());
    }
}

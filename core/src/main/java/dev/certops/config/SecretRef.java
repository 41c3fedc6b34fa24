package dev.certops.config;

import java.util.Optional;

/**
 * A configuration value that may be a reference to a file in the workspace's {@code secrets/}
 * folder ({@code "secret:name"}) or a literal. {@link #toString()} never shows a literal value.
 */
public record SecretRef(String raw) {
    public static final String PREFIX = "secret:";

    public boolean isReference() { return raw.startsWith(PREFIX); }

    /** The secret's name in secrets/, when this is a reference. */
    public Optional<String> name() {
        return isReference() ? Optional.of(raw.substring(PREFIX.length())) : Optional.empty();
    }

    @Override
    public String toString() { return isReference() ? raw : "(literal, hidden)"; }
}

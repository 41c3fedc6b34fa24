package dev.certops.runbook;

import java.util.Optional;

/** A runbook parameter: {@code params: - { name: cert, type: certificate, required: true }}. */
public record ParamSpec(String name, Type type, boolean required, Optional<String> defaultValue, String description) {

    /** The types a parameter can have; values are checked against the workspace before a run starts. */
    public enum Type {
        CERTIFICATE("certificate"), CERTIFICATES("certificates"), CA("ca"), FILE("file"),
        DURATION("duration"), TEXT("text"), BOOLEAN("boolean"), NUMBER("number");

        private final String configName;
        Type(String configName) { this.configName = configName; }
        public String configName() { return configName; }

        public static Optional<Type> of(String name) {
            for (Type t : values()) if (t.configName.equals(name)) return Optional.of(t);
            return Optional.empty();
        }
    }
}

package dev.certops.alert;

/** How bad an open condition is, in escalation order: a condition alerts again when its severity rises. */
public enum Severity {
    WARNING, CRITICAL, EMERGENCY, EXPIRED;

    public boolean isAbove(Severity other) { return compareTo(other) > 0; }
}

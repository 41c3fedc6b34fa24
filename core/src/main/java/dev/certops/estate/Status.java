package dev.certops.estate;

/** How urgent a certificate or endpoint is, least to most. */
public enum Status {
    OK, WARNING, CRITICAL, EMERGENCY, EXPIRED, UNREACHABLE;

    public Status worse(Status other) { return other.ordinal() > ordinal() ? other : this; }

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}

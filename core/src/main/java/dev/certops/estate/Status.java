package dev.certops.estate;

import java.util.Locale;

/**
 * How urgent a certificate or endpoint is by time, least to most: the thresholds (ok, warning,
 * critical, emergency), unreachable (nothing could be read, with the reason) and expired.
 */
public enum Status {
    OK, WARNING, CRITICAL, EMERGENCY, UNREACHABLE, EXPIRED;

    public Status worse(Status other) { return other.ordinal() > ordinal() ? other : this; }

    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** Warning asks for attention; everything from critical on asks for action. */
    public Attention attention() {
        return this == OK ? Attention.NONE : this == WARNING ? Attention.WARNING : Attention.ACTION;
    }
}

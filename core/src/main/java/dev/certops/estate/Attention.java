package dev.certops.estate;

/**
 * What a status or finding asks of the operator; also the exit code of {@code estate scan}:
 * 0 nothing, 1 a warning, 2 act now (critical, emergency, expired, unreachable, divergence, a
 * certificate clients reject).
 */
public enum Attention {
    NONE, WARNING, ACTION;

    public Attention max(Attention other) { return other.ordinal() > ordinal() ? other : this; }

    public int exitCode() { return ordinal(); }
}

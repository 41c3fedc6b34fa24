package dev.certops.estate;

import java.util.Locale;

/**
 * The one status order of certops, least to most urgent; a certificate's or an endpoint's status is
 * the worst of what applies, and every surface (CLI table, JSON, Prometheus, alerts, reports, the
 * console) shows this one value. See docs/decisions/0008-one-status-order-client-verdict.md.
 *
 * <ol>
 *   <li>{@link #OK}: a TLS client accepts what is served and nothing needs a person;</li>
 *   <li>{@link #WARNING}, {@link #CRITICAL}, {@link #EMERGENCY}: time left by the 30 / 15 / 7-day
 *       thresholds (lifetime-scaled) — or, for warning, something a client still accepts but a person
 *       should fix (chain out of order, revocation not checkable, a host's copy unreadable);</li>
 *   <li>{@link #UNREACHABLE}: nothing could be read — what clients see is unknown;</li>
 *   <li>{@link #DIVERGED}: an endpoint serves something else than what is live on disk, or hosts are
 *       out of step — what clients see is not what certops deployed;</li>
 *   <li>{@link #REJECTED}: a client refuses what is served (untrusted, wrong name, weak, not yet valid…);</li>
 *   <li>{@link #EXPIRED}: past notAfter — every client refuses it;</li>
 *   <li>{@link #REVOKED}: the serial was revoked — refused, and a sign of an incident (key compromise,
 *       mass revocation) that needs a new certificate, not just a reload.</li>
 * </ol>
 */
public enum Status {
    OK, WARNING, CRITICAL, EMERGENCY, UNREACHABLE, DIVERGED, REJECTED, EXPIRED, REVOKED;

    public Status worse(Status other) { return other.ordinal() > ordinal() ? other : this; }

    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** Warning asks for attention; everything from critical on asks for action. */
    public Attention attention() {
        return this == OK ? Attention.NONE : this == WARNING ? Attention.WARNING : Attention.ACTION;
    }

    /** A client refuses what is served (rejected, expired, revoked): shown red on every surface, never green. */
    public boolean refused() { return this == REJECTED || this == EXPIRED || this == REVOKED; }
}

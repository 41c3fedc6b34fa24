package dev.certops.acme;

import java.time.Duration;

/** What {@link FailoverPolicy#decide} answers for one failed attempt against one CA. */
public sealed interface FailoverDecision {
    /** The word recorded in history ({@code acme.attempt} decision). */
    String word();

    /** Ask the same CA again after {@code delay} (it was unavailable). */
    record Retry(Duration delay) implements FailoverDecision {
        @Override public String word() { return "retry"; }
    }

    /** Wait out the CA's Retry-After ({@code delay}, ending before the deadline), then ask it again. */
    record Wait(Duration delay) implements FailoverDecision {
        @Override public String word() { return "wait"; }
    }

    /** Move on to the next CA (none left: the issuance fails, listing every CA tried). */
    record NextCa() implements FailoverDecision {
        @Override public String word() { return "failover"; }
    }

    /** Stop the issuance: no other CA or retry would do better, and each order costs budget. */
    record Stop() implements FailoverDecision {
        @Override public String word() { return "stop"; }
    }
}

package dev.certops.ratelimit;

import java.time.Instant;

/** What the issuance guard says about one order. */
public sealed interface GuardDecision {
    /** Within the safety line (or overridden and within the CA's capacity): send it. */
    record Allowed() implements GuardDecision { }

    /** The CA would accept it but it crosses the safety line: send only with an explicit override, or wait until {@code withoutOverrideAt}. */
    record NeedsOverride(String reason, Instant withoutOverrideAt) implements GuardDecision { }

    /** The CA would refuse it (and the failure would cost budget too): do not send before {@code earliest}. */
    record Refused(String reason, Instant earliest) implements GuardDecision { }
}

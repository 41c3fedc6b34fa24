package dev.certops.ratelimit;

import java.time.Instant;
import java.util.Optional;

/**
 * Where one certificate falls in a forecast or plan.
 *
 * @param wantedAt  when it was asked for
 * @param at        the earliest time it can go (equal to wantedAt when nothing holds it back)
 * @param exemption how the CA treats it (new, plain renewal, ARI renewal)
 * @param heldBy    the bucket that decides {@code at} and its state, in words, when it had to wait
 */
public record PlanEntry(CertificateRequest request, Instant wantedAt, Instant at, Exemption exemption,
                        Optional<String> heldBy) {
    /** True when it can go when wanted. */
    public boolean asWanted() { return !at.isAfter(wantedAt); }
}

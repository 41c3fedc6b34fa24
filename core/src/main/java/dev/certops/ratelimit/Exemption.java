package dev.certops.ratelimit;

/** How Let's Encrypt treats a renewal. */
public enum Exemption {
    /** A new certificate: every limit applies. */
    NONE,
    /** Same exact name set as a certificate issued before: skips new-orders-per-account and per-registered-domain, still counts against the exact-set and authorization-failure limits. */
    RENEWAL,
    /** An ARI renewal (order sent with {@code replaces} for a not-yet-replaced certificate sharing a name): exempt from all limits. */
    ARI
}

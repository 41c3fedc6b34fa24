package dev.certops.ratelimit;

import java.time.Instant;

/**
 * The CA answered rateLimited: the bucket is empty until {@code retryAfter}, whatever the local count says.
 *
 * @param kind       the limit the problem detail names
 * @param key        the bucket's key (account, registered domain, name set, "account identifier")
 * @param retryAfter the CA's Retry-After
 * @param detail     the CA's problem detail, verbatim
 */
public record CaRefusal(LimitKind kind, String key, Instant retryAfter, String detail) { }

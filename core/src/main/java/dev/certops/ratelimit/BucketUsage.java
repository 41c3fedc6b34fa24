package dev.certops.ratelimit;

import java.util.Optional;

/**
 * One bucket's usage: which limit, for which key (account, registered domain, name set, "account identifier").
 *
 * @param caSays the CA's rateLimited answer still in force, which overrides the local count
 */
public record BucketUsage(String ca, boolean staging, LimitKind kind, String key, Bucket bucket, Usage usage,
                          Optional<CaRefusal> caSays) { }

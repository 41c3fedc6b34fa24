package dev.certops.ratelimit;

import java.time.Instant;

/**
 * A bucket's state at one moment.
 *
 * @param used        tokens taken and not yet back (a token partly refilled counts as used)
 * @param capacity    the bucket's capacity
 * @param remaining   tokens that could be spent now ({@code capacity - used}, 0 while the CA has said rateLimited)
 * @param nextTokenAt when the next token comes back (now when the bucket is full)
 * @param fullAt      when the bucket is full again (now when it is full)
 */
public record Usage(long used, long capacity, long remaining, Instant nextTokenAt, Instant fullAt) {
    /** used / capacity, 0..1. */
    public double fraction() { return capacity == 0 ? 0 : (double) used / capacity; }
}

package dev.certops.ratelimit;

import java.time.Instant;

/**
 * Token-bucket arithmetic in the GCRA form Let's Encrypt uses: a bucket is one number, its
 * <em>theoretical arrival time</em> (TAT), the moment it is full again. Spending one token at {@code t}
 * moves TAT to {@code max(TAT, t) + refill}; at {@code now} the bucket owes {@code max(TAT, now) - now},
 * i.e. {@code ceil(owed / refill)} tokens are used. A spend is allowed when, after it, the bucket owes at
 * most {@code capacity × refill}.
 *
 * <p>All arithmetic is on epoch milliseconds (elapsed time), so a daylight-saving change inside a window
 * changes nothing, and a wall clock stepped backwards only makes the bucket look fuller (never emptier)
 * than it is. A TAT of 0 means "never spent".
 */
public final class TokenBucketMath {
    private TokenBucketMath() { }

    /** TAT after spending one token at {@code t}; capped at a full bucket's worth (the CA would not have let more through). */
    public static long spend(long tat, long t, Bucket b) {
        long refill = b.refillMillis();
        return Math.min(Math.max(tat, t) + refill, t + b.capacity() * refill);
    }

    /** The bucket's usage at {@code now}; while {@code blockedUntil} is after now the CA's word wins and it is empty. */
    public static Usage usage(long tat, Bucket b, long now, long blockedUntil) {
        long refill = b.refillMillis();
        long c = b.capacity();
        long full = Math.max(tat, now);
        long used = Math.min(c, ceilDiv(full - now, refill));
        long next = used == 0 ? now : full - (used - 1) * refill;
        if (blockedUntil > now) {
            return new Usage(c, c, 0, Instant.ofEpochMilli(blockedUntil),
                    Instant.ofEpochMilli(Math.max(full, blockedUntil)));
        }
        return new Usage(used, c, c - used, Instant.ofEpochMilli(next), Instant.ofEpochMilli(full));
    }

    /**
     * The earliest time at or after {@code notBefore} when one token can be taken while the bucket stays
     * at or below {@code ceiling} tokens used (the CA's capacity, or the safety line).
     */
    public static long earliest(long tat, Bucket b, long ceiling, long notBefore, long blockedUntil) {
        long refill = b.refillMillis();
        long t = Math.max(notBefore, blockedUntil);
        long c = Math.max(1, Math.min(ceiling, b.capacity()));
        return Math.max(t, tat - (c - 1) * refill);
    }

    /** The most tokens a plan may have in use at once under a safety line (0..1): floor(line × capacity), at least 1. */
    public static long ceiling(Bucket b, double safetyLine) {
        if (safetyLine >= 1.0) return b.capacity();
        return Math.max(1, (long) Math.floor(safetyLine * b.capacity() + 1e-9));
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}

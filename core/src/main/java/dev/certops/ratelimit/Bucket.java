package dev.certops.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token bucket: at most {@code capacity} tokens, one token back every {@code refill}.
 * Spending takes one token; an empty bucket refuses. A full bucket refills from empty in {@link #window()}.
 */
public record Bucket(long capacity, Duration refill) {
    private static final Pattern RATE = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|min|h|d|w)\\s*");

    public Bucket {
        Objects.requireNonNull(refill, "refill");
        if (capacity < 1) throw new IllegalArgumentException("rate limit capacity must be at least 1, got " + capacity);
        if (refill.isNegative() || refill.isZero() || refill.toMillis() < 1) {
            throw new IllegalArgumentException("rate limit refill period must be at least 1 ms, got " + refill);
        }
    }

    /** The time to refill from empty to full: capacity × refill. */
    public Duration window() { return refill.multipliedBy(capacity); }

    public long refillMillis() { return refill.toMillis(); }

    /**
     * Parses a refill rate such as {@code "1/36s"}, {@code "1/202m"}, {@code "1/34h"}, {@code "1/1d"} or
     * {@code "300/3h"} (300 tokens per 3 hours = one per 36 s). Units: ms, s, m or min, h, d, w.
     */
    public static Duration parseRefill(String rate) {
        Matcher m = RATE.matcher(rate == null ? "" : rate.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("rate limit refill \"" + rate + "\" is not understood: write tokens/period,"
                    + " e.g. \"1/36s\", \"1/202m\", \"1/34h\" or \"300/3h\" (units ms, s, m, h, d, w)");
        }
        long tokens = Long.parseLong(m.group(1));
        long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        if (tokens < 1 || amount < 1) {
            throw new IllegalArgumentException("rate limit refill \"" + rate + "\" must have at least one token per a positive period");
        }
        Duration period = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
        return period.dividedBy(tokens);
    }

    /** "1/36s"-style text for a refill period. */
    public static String formatRefill(Duration refill) {
        long ms = refill.toMillis();
        if (ms % 86_400_000 == 0) return "1/" + ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0) return "1/" + ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return "1/" + ms / 60_000 + "m";
        if (ms % 1000 == 0) return "1/" + ms / 1000 + "s";
        return "1/" + ms + "ms";
    }
}

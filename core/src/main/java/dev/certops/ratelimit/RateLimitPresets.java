package dev.certops.ratelimit;

import static dev.certops.ratelimit.LimitKind.AUTHZ_FAILURES_PER_IDENTIFIER;
import static dev.certops.ratelimit.LimitKind.CONSECUTIVE_AUTHZ_FAILURES;
import static dev.certops.ratelimit.LimitKind.NEW_ACCOUNTS_PER_IP;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_EXACT_SET;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN;
import static dev.certops.ratelimit.LimitKind.NEW_ORDERS_PER_ACCOUNT;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shipped rate-limit presets, in one table. <b>Updating a CA's published limits is a change to this
 * file only</b>: edit the values and the {@code takenOn} date, and keep {@code source} pointing at the page.
 *
 * <p>Let's Encrypt describes its limits as token buckets (capacity, one token back per period) since 2025.
 * The staging page lists only the values that differ from production; the others are production's.
 */
public final class RateLimitPresets {
    private RateLimitPresets() { }

    /** A named set of limits, with where and when the values were taken. */
    public record Preset(String name, Optional<URI> source, Optional<LocalDate> takenOn, Map<LimitKind, Bucket> buckets) {
        public Preset { buckets = Map.copyOf(buckets); }
    }

    public static final Preset LETSENCRYPT = new Preset("letsencrypt",
            Optional.of(URI.create("https://letsencrypt.org/docs/rate-limits/")), Optional.of(LocalDate.of(2025, 6, 12)),
            table(
                    NEW_ORDERS_PER_ACCOUNT, 300, Duration.ofSeconds(36),                 // 300 per 3 h
                    NEW_CERTS_PER_REGISTERED_DOMAIN, 50, Duration.ofMinutes(202),        // 50 per 7 days
                    NEW_CERTS_PER_EXACT_SET, 5, Duration.ofHours(34),                    // 5 per 7 days
                    AUTHZ_FAILURES_PER_IDENTIFIER, 5, Duration.ofMinutes(12),            // 5 per hour
                    CONSECUTIVE_AUTHZ_FAILURES, 1152, Duration.ofDays(1),                // 1,152 then paused; reset on success
                    NEW_ACCOUNTS_PER_IP, 10, Duration.ofMinutes(18)));                   // 10 per 3 h

    public static final Preset LETSENCRYPT_STAGING = new Preset("letsencrypt-staging",
            Optional.of(URI.create("https://letsencrypt.org/docs/staging-environment/")), Optional.of(LocalDate.of(2025, 6, 12)),
            table(
                    NEW_ORDERS_PER_ACCOUNT, 1500, Duration.ofMillis(7_200),              // 1,500 per 3 h
                    NEW_CERTS_PER_REGISTERED_DOMAIN, 50, Duration.ofMinutes(202),        // not listed for staging: production's
                    NEW_CERTS_PER_EXACT_SET, 30_000, Duration.ofMillis(20_160),          // 30,000 per week
                    AUTHZ_FAILURES_PER_IDENTIFIER, 200, Duration.ofSeconds(18),          // 200 per hour
                    CONSECUTIVE_AUTHZ_FAILURES, 1152, Duration.ofDays(1),                // not listed for staging: production's
                    NEW_ACCOUNTS_PER_IP, 50, Duration.ofSeconds(216)));                  // 50 per 3 h

    /** No limits known: the budget shows nothing and the guard allows everything (unless the CA said rateLimited). */
    public static final Preset NONE = new Preset("none", Optional.empty(), Optional.empty(), Map.of());

    public static final List<Preset> ALL = List.of(LETSENCRYPT, LETSENCRYPT_STAGING, NONE);

    public static Optional<Preset> byName(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The preset used for a CA's staging endpoint when the CA entry names {@code preset}. */
    public static Preset stagingTwin(Preset preset) {
        return preset == LETSENCRYPT ? LETSENCRYPT_STAGING : preset;
    }

    private static Map<LimitKind, Bucket> table(Object... rows) {
        Map<LimitKind, Bucket> m = new EnumMap<>(LimitKind.class);
        for (int i = 0; i < rows.length; i += 3) {
            m.put((LimitKind) rows[i], new Bucket(((Number) rows[i + 1]).longValue(), (Duration) rows[i + 2]));
        }
        return m;
    }
}

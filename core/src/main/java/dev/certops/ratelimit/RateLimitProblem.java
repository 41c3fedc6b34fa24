package dev.certops.ratelimit;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which limit a CA's rateLimited problem detail is about, from Let's Encrypt's wording (e.g.
 * "too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s",
 * "too many new orders (300) recently", "too many failed authorizations (5) for \"example.com\" ...").
 * Unknown wording → empty: the caller then treats every bucket the order touches as empty.
 */
final class RateLimitProblem {
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    private RateLimitProblem() { }

    static Optional<LimitKind> classify(String detail) {
        String d = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
        if (d.contains("exact set")) return Optional.of(LimitKind.NEW_CERTS_PER_EXACT_SET);
        if (d.contains("consecutive") || d.contains("paused")) return Optional.of(LimitKind.CONSECUTIVE_AUTHZ_FAILURES);
        if (d.contains("failed authorization")) return Optional.of(LimitKind.AUTHZ_FAILURES_PER_IDENTIFIER);
        if (d.contains("new orders")) return Optional.of(LimitKind.NEW_ORDERS_PER_ACCOUNT);
        if (d.contains("registrations") || d.contains("new accounts")) return Optional.of(LimitKind.NEW_ACCOUNTS_PER_IP);
        if (d.contains("certificates") && (d.contains("already issued") || d.contains("registered domain"))) {
            return Optional.of(LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN);
        }
        return Optional.empty();
    }

    /** The first quoted name in the detail, if any (the domain or identifier the CA names). */
    static Optional<String> quotedName(String detail) {
        Matcher m = QUOTED.matcher(detail == null ? "" : detail);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}

package dev.certops.history;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded event, as stored: append-only and hash-chained.
 *
 * @param seq      position in the chain, starting at 1, gap-free
 * @param time     when it was recorded (UTC)
 * @param actor    who did it ("user@machine" or "certops renew")
 * @param kind     dotted kind, e.g. {@code scan.finished}, {@code acme.order.created}, {@code deploy.step}
 * @param subject  what it is about (a certificate id, host id, run id), may be empty
 * @param outcome  ok, failed, info, skipped, ...
 * @param details  canonical JSON object (never a secret)
 * @param prevHash hex SHA-256 of the previous event ("" for the first)
 * @param hash     hex SHA-256 over prevHash and this event's canonical content
 */
public record HistoryEvent(long seq, Instant time, String actor, String kind, String subject,
                           String outcome, String details, String prevHash, String hash) {
    public HistoryEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(kind, "kind");
        subject = subject == null ? "" : subject;
        outcome = outcome == null ? "" : outcome;
        details = details == null || details.isBlank() ? "{}" : details;
    }
}

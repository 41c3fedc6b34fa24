package dev.certops.acme;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Why an attempt against one CA did not issue, classified so the failover policy can decide and an
 * operator can act. Each kind carries what the operator needs.
 */
public sealed interface AcmeFailure {
    String ca();
    String message();

    /** Unreachable, 5xx or timeout: retried with backoff, then the next CA. */
    record CaUnavailable(String ca, String message) implements AcmeFailure { }

    /** The CA said rateLimited: wait until {@code retryAfter} or move on, by the deadline. */
    record RateLimited(String ca, Optional<Instant> retryAfter, List<String> documents, String message) implements AcmeFailure { }

    /**
     * The CA could not validate {@code identifier} with {@code challenge} (http-01, dns-01);
     * {@code detail} is what the CA saw, in its words. Never retried blindly (it costs budget).
     */
    record ValidationFailed(String ca, String identifier, String challenge, String detail) implements AcmeFailure {
        @Override
        public String message() { return "the CA could not validate " + identifier + " (" + challenge + "): " + detail; }
    }

    /** CAA forbids this CA for a name: checked before an order is sent. */
    record CaaForbids(String ca, String message) implements AcmeFailure { }

    /** The budget model says the CA would refuse, or the safety line would be crossed. */
    record BudgetRefused(String ca, String message) implements AcmeFailure { }

    /** Configuration or account problem (terms not accepted, EAB secret missing): fix and retry. */
    record Misconfigured(String ca, String message) implements AcmeFailure {
        /** The CA's TLS certificate is not trusted: fixed with {@code trust:}, never by another CA or a retry. */
        public boolean untrustedTls() { return message.startsWith(CaTls.UNTRUSTED); }
    }

    /** Anything else the CA answered (a problem document). */
    record Refused(String ca, String message) implements AcmeFailure { }
}

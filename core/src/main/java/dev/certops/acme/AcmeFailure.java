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

    /** Issuance failed without a CA's answer to classify (e.g. the challenge could not be published). */
    String ISSUE_FAILED = "issue-failed";
    /** The certificate was issued but could not be deployed. */
    String DEPLOY_FAILED = "deploy-failed";

    /**
     * The kind as one word for machines (alert facts, history, {@code --json}): {@code ca-unavailable},
     * {@code rate-limited}, {@code validation-failed}, {@code caa-forbids}, {@code budget-refused},
     * {@code misconfigured}, {@code refused}.
     */
    default String kind() {
        if (this instanceof CaUnavailable) return "ca-unavailable";
        if (this instanceof RateLimited) return "rate-limited";
        if (this instanceof ValidationFailed) return "validation-failed";
        if (this instanceof CaaForbids) return "caa-forbids";
        if (this instanceof BudgetRefused) return "budget-refused";
        if (this instanceof Misconfigured) return "misconfigured";
        return "refused";
    }

    /** A {@link #kind()} (or {@link #ISSUE_FAILED}, {@link #DEPLOY_FAILED}) in words for people. */
    static String inWords(String kind) {
        return switch (kind) {
            case "ca-unavailable" -> "no CA could be reached";
            case "rate-limited" -> "the CA's rate limit";
            case "validation-failed" -> "the CA could not validate a name";
            case "caa-forbids" -> "a CAA record forbids the CA";
            case "budget-refused" -> "the rate-limit budget";
            case "misconfigured" -> "a configuration problem";
            case "refused" -> "the CA refused";
            case ISSUE_FAILED -> "issuance failed";
            case DEPLOY_FAILED -> "the deploy failed";
            default -> kind;
        };
    }

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

        /** The CA's TLS certificate is for another name than the directory URL's: fixed in the URL, never by a retry. */
        public boolean wrongTlsName() { return message.startsWith(CaTls.WRONG_NAME); }

        /** TLS to this CA cannot work as its entry stands (untrusted, or another name): no retry or other CA fixes it. */
        public boolean tls() { return untrustedTls() || wrongTlsName(); }
    }

    /** Anything else the CA answered (a problem document). */
    record Refused(String ca, String message) implements AcmeFailure { }
}

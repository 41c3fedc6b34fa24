package dev.certops.estate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Locale;

/**
 * One thing wrong with what an endpoint serves or a host holds: a stable {@link #code()} (for
 * machines and filters), the status it implies, and a plain sentence saying what is wrong and what
 * to do.
 */
@JsonPropertyOrder({"code", "status", "kind", "message"})
public record Finding(Kind kind, String message) {

    /** What kind of trouble, and the status it implies (the worst finding decides, with the expiry status). */
    public enum Kind {
        /** notBefore is in the future: clients reject it until then. */
        NOT_YET_VALID(Status.REJECTED),
        /** The leaf is past notAfter. */
        EXPIRED(Status.EXPIRED),
        /** An intermediate of the served chain is past notAfter: clients reject the chain. */
        INTERMEDIATE_EXPIRED(Status.REJECTED),
        /** No path to a trusted root can be built (untrusted root, or a chain that ends at a stranger). */
        UNTRUSTED(Status.REJECTED),
        /** The server sends the leaf without the intermediate that issued it: clients cannot build the path. */
        INTERMEDIATE_MISSING(Status.REJECTED),
        /** Self-signed and not in any trust anchor: no client trusts it. */
        SELF_SIGNED(Status.REJECTED),
        /** The served certificate's names do not cover the endpoint's name (RFC 6125): clients reject it. */
        NAME_NOT_COVERED(Status.REJECTED),
        /** RSA below 2048 bits or EC below P-256 in the chain. */
        WEAK_KEY(Status.REJECTED),
        /** SHA-1 or MD5 signatures below the trust anchor. */
        WEAK_SIGNATURE(Status.REJECTED),
        /** The leaf has an extended key usage without serverAuth. */
        NO_SERVER_AUTH(Status.REJECTED),
        /** The server speaks only TLS 1.0 / 1.1: current clients refuse to connect. */
        LEGACY_PROTOCOL(Status.REJECTED),
        /** A link does not verify, or extra certificates belong to no path. */
        CHAIN_INVALID(Status.REJECTED),
        /** The chain is complete but out of order: clients accept it; fix it anyway. */
        CHAIN_OUT_OF_ORDER(Status.WARNING),
        /** The served serial was revoked (certops' history, or the CA's CRL lists it). */
        REVOKED(Status.REVOKED),
        /** Revocation could not be checked (the CRL could not be fetched or read): never a silent pass. */
        REVOCATION_UNKNOWN(Status.WARNING),
        /** Nothing could be read from the endpoint (refused, timeout, handshake failure, DNS). */
        UNREACHABLE(Status.UNREACHABLE),
        /** An endpoint serves something else than what is live on its host's disk: a reload that never happened. */
        DIVERGED_FROM_DISK(Status.DIVERGED),
        /** The hosts or endpoints of one certificate serve or hold different serials. */
        HOSTS_DIFFER(Status.DIVERGED),
        /** The live copy on a host could not be read. */
        DISK_UNREADABLE(Status.WARNING),
        /** Neither an endpoint nor a deployed copy is configured: nothing can be observed. */
        NOT_OBSERVED(Status.WARNING),
        /** A problem known only in words (views built by hand; see the compatibility constructors). */
        OTHER(Status.WARNING);

        private final Status status;

        Kind(Status status) { this.status = status; }

        /** The status this finding implies. */
        public Status status() { return status; }

        public Attention attention() { return status.attention(); }

        /** The stable code, e.g. "name-not-covered". */
        public String code() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        public boolean divergence() { return status == Status.DIVERGED; }
    }

    public static Finding of(Kind kind, String message) { return new Finding(kind, message); }

    /** A finding from words alone: "divergence: …" is a divergence, anything else {@link Kind#OTHER}. */
    public static Finding fromText(String message) {
        return new Finding(message.startsWith("divergence") ? Kind.DIVERGED_FROM_DISK : Kind.OTHER, message);
    }

    static List<Finding> fromTexts(List<String> messages) { return messages.stream().map(Finding::fromText).toList(); }

    @JsonProperty("code") public String code() { return kind.code(); }

    @JsonProperty("status") public Status status() { return kind.status(); }

    public Attention attention() { return kind.attention(); }

    /** The worst status among {@code findings}, starting from {@code from}. */
    public static Status worst(Status from, List<Finding> findings) {
        Status s = from;
        for (Finding f : findings) s = s.worse(f.status());
        return s;
    }

    /** The sentence that explains {@code status}: the first finding implying it, else the first finding, else "". */
    public static String reason(Status status, List<Finding> findings) {
        for (Finding f : findings) if (f.status() == status) return f.message();
        return findings.isEmpty() ? "" : findings.get(0).message();
    }

    @Override public String toString() { return message; }
}

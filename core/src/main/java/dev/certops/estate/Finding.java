package dev.certops.estate;

/**
 * One thing wrong with what an endpoint serves or a host holds, in words, with its kind (so a view
 * can filter and colour without parsing text).
 */
public record Finding(Kind kind, String message) {

    /** What kind of trouble, and how much attention it asks for. */
    public enum Kind {
        /** The served certificate's names do not cover the endpoint's name: clients reject it. */
        NAME_NOT_COVERED(Attention.ACTION),
        /** Self-signed: no client trusts it. */
        SELF_SIGNED(Attention.ACTION),
        /** The server sends the leaf without the intermediate that issued it: many clients fail. */
        INTERMEDIATE_MISSING(Attention.ACTION),
        /** The chain is complete but out of order: most clients cope, some do not. */
        CHAIN_OUT_OF_ORDER(Attention.WARNING),
        /** A link does not verify or extra certificates belong to no path. */
        CHAIN_INVALID(Attention.ACTION),
        /** Past notAfter. */
        EXPIRED(Attention.ACTION),
        /** Nothing could be read from the endpoint (refused, timeout, handshake failure, DNS). */
        UNREACHABLE(Attention.ACTION),
        /** An endpoint serves something else than what is live on its host's disk: a reload that never happened. */
        DIVERGED_FROM_DISK(Attention.ACTION),
        /** The hosts or endpoints of one certificate serve or hold different serials. */
        HOSTS_DIFFER(Attention.ACTION),
        /** The live copy on a host could not be read (or nothing is deployed there yet). */
        DISK_UNREADABLE(Attention.WARNING),
        /** Neither an endpoint nor a deployed copy is configured: nothing can be observed. */
        NOT_OBSERVED(Attention.WARNING),
        /** A problem known only in words (views built by hand; see the compatibility constructors). */
        OTHER(Attention.WARNING);

        private final Attention attention;

        Kind(Attention attention) { this.attention = attention; }

        public Attention attention() { return attention; }

        public boolean divergence() { return this == DIVERGED_FROM_DISK || this == HOSTS_DIFFER; }
    }

    public static Finding of(Kind kind, String message) { return new Finding(kind, message); }

    /** A finding from words alone: "divergence: …" is a divergence, anything else {@link Kind#OTHER}. */
    public static Finding fromText(String message) {
        return new Finding(message.startsWith("divergence") ? Kind.DIVERGED_FROM_DISK : Kind.OTHER, message);
    }

    static java.util.List<Finding> fromTexts(java.util.List<String> messages) { return messages.stream().map(Finding::fromText).toList(); }

    public Attention attention() { return kind.attention(); }

    @Override public String toString() { return message; }
}

package dev.certops.config;

import java.util.Locale;
import java.util.Objects;

/**
 * A TLS endpoint to check: where to connect, which name to send as SNI, and for mail and directory
 * servers the protocol's STARTTLS upgrade to do first.
 */
public record Endpoint(String host, int port, String sni, StartTls starttls) {

    /** The plain-text protocol spoken before TLS; {@link #NONE} for TLS from the first byte. */
    public enum StartTls {
        NONE(0), SMTP(25), IMAP(143), POP3(110), LDAP(389), POSTGRES(5432);

        private final int defaultPort;

        StartTls(int defaultPort) { this.defaultPort = defaultPort; }

        /** The protocol's usual port, used when an endpoint names none. */
        public int defaultPort() { return defaultPort; }

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /** TLS from the first byte. */
    public Endpoint(String host, int port, String sni) { this(host, port, sni, StartTls.NONE); }

    /*
     * equals and hashCode written out, with the values a record's own would have: a record's are made at run time by
     * ObjectMethods' bootstrap, whose method-handle tree is generated, loaded and compiled in every process on the first
     * call (a scan's first look-up of an endpoint: ~100 classes spun and compiled, ADR 0004).
     */
    @Override public boolean equals(Object o) {
        return o instanceof Endpoint e && port == e.port && Objects.equals(host, e.host) && Objects.equals(sni, e.sni) && starttls == e.starttls;
    }

    @Override public int hashCode() {
        return ((Objects.hashCode(host) * 31 + Integer.hashCode(port)) * 31 + Objects.hashCode(sni)) * 31 + Objects.hashCode(starttls);
    }

    @Override public String toString() {
        return host + ":" + port + (sni.equals(host) ? "" : " (SNI " + sni + ")") + (starttls == StartTls.NONE ? "" : " (STARTTLS " + starttls.label() + ")");
    }
}

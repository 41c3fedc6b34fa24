package dev.certops.config;

import java.util.Locale;

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

    @Override public String toString() {
        return host + ":" + port + (sni.equals(host) ? "" : " (SNI " + sni + ")") + (starttls == StartTls.NONE ? "" : " (STARTTLS " + starttls.label() + ")");
    }
}

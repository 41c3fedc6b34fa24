package dev.certops.config;

/** A TLS endpoint to check: where to connect and which name to send as SNI. */
public record Endpoint(String host, int port, String sni) {
    @Override public String toString() { return host + ":" + port + (sni.equals(host) ? "" : " (SNI " + sni + ")"); }
}

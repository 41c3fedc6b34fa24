package dev.certops.scan;

import dev.certops.config.Endpoint;

/** An endpoint could not be read: unreachable is a status of its own, with the reason. */
public class ProbeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why an endpoint is unreachable; {@link #NO_TLS}: it answered, but refused the STARTTLS upgrade or speaks another protocol. */
    public enum Reason {
        REFUSED("refused"), TIMEOUT("timeout"), HANDSHAKE("handshake"), DNS("dns"), NO_TLS("no TLS upgrade");

        private final String label;

        Reason(String label) { this.label = label; }

        /** For people: "refused", "timeout", "handshake", "dns", "no TLS upgrade". */
        public String label() { return label; }
    }

    private final transient Endpoint endpoint;
    private final Reason reason;

    public ProbeException(Endpoint endpoint, Reason reason, String message) {
        super(endpoint + ": " + message);
        this.endpoint = endpoint;
        this.reason = reason;
    }

    public Endpoint endpoint() { return endpoint; }
    public Reason reason() { return reason; }
}

package dev.certops.acme.dns;

/** A DNS provider failed; the message starts with the provider type and says what to do. */
public class DnsProviderException extends Exception {
    private static final long serialVersionUID = 1L;

    public DnsProviderException(String message) { super(message); }
    public DnsProviderException(String message, Throwable cause) { super(message, cause); }
}

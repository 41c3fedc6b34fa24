package dev.certops.acme.dns;

/**
 * A TXT record did not become visible in time. The message names the record, the value expected and
 * what each server returned on the last look.
 */
public class PropagationTimeoutException extends DnsProviderException {
    private static final long serialVersionUID = 1L;

    public PropagationTimeoutException(String message) { super(message); }
}

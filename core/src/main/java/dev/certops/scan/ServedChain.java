package dev.certops.scan;

import dev.certops.config.Endpoint;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** What an endpoint served: the chain as sent (leaf first, as the server ordered it), protocol and handshake time. */
public record ServedChain(Endpoint endpoint, List<X509Certificate> chain, String protocol, Duration handshakeTime) {
    public X509Certificate leaf() { return chain.get(0); }
}

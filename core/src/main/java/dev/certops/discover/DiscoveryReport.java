package dev.certops.discover;

import dev.certops.config.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a discovery found: the certificates (grouped by leaf), and per endpoint that did not answer
 * with TLS, why ("refused", "timeout", "handshake", "dns").
 */
public record DiscoveryReport(Instant at, Duration took, int probed, List<DiscoveredCertificate> certificates, Map<Endpoint, String> failed) {
    public List<DiscoveredCertificate> unmanaged() { return certificates.stream().filter(c -> !c.managed()).toList(); }

    public int answered() { return probed - failed.size(); }
}

package dev.certops.discover;

import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateInfo;
import dev.certops.estate.Status;
import java.util.List;
import java.util.Optional;

/**
 * One certificate found by a discovery: its leaf, its status by the thresholds, every endpoint that
 * served it, and the configured certificate that manages it (empty: nobody watches it).
 */
public record DiscoveredCertificate(CertificateInfo leaf, Status status, long daysLeft, List<Endpoint> servedAt, Optional<String> managedBy) {
    public boolean managed() { return managedBy.isPresent(); }
}

package dev.certops.discover;

import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateInfo;
import dev.certops.estate.Finding;
import dev.certops.estate.Status;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * One certificate found by a discovery: its leaf, its status as the scan judges it (thresholds and a
 * TLS client's verdict, the worst over every endpoint that served it), those endpoints, the configured
 * certificate that manages it (empty: nobody watches it), and what a client finds wrong with it.
 */
public record DiscoveredCertificate(CertificateInfo leaf, Status status, long daysLeft, List<Endpoint> servedAt, Optional<String> managedBy,
                                    List<Finding> findings) {
    public DiscoveredCertificate { findings = List.copyOf(findings); }

    /** Found with nothing a client objects to (the status is by the thresholds alone). */
    public DiscoveredCertificate(CertificateInfo leaf, Status status, long daysLeft, List<Endpoint> servedAt, Optional<String> managedBy) {
        this(leaf, status, daysLeft, servedAt, managedBy, List.of());
    }

    public boolean managed() { return managedBy.isPresent(); }

    /** The client's verdict alone, without expiry: ok, rejected, revoked, … (the worst finding). */
    public Status verdict() { return Finding.worst(Status.OK, findings); }

    /** Why the status is what it is, in words (the first finding that implies it), empty when nothing is wrong. */
    public String reason() { return Finding.reason(status, findings); }

    /** The findings' messages, each once (several endpoints serving one certificate say the same of its chain). */
    public List<String> problems() { return List.copyOf(new LinkedHashSet<>(findings.stream().map(Finding::message).toList())); }
}

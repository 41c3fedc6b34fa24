package dev.certops.estate;

import dev.certops.crypto.CertificateInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One managed certificate as the estate sees it: the worst status of what it serves and holds, the
 * CA it came from, days left, its endpoints and deployments, what needs attention, and since when
 * its status has been what it is (from history; empty in a scan that was not recorded).
 *
 * @param current the certificate that expires first among what is served and live on disk
 */
public record CertificateView(String id, List<String> names, Status status, String ca, Optional<Long> daysLeft,
                              Optional<CertificateInfo> current, List<EndpointView> endpoints, List<DeploymentView> deployments,
                              List<Finding> findings, Optional<Instant> since) {
    public CertificateView {
        names = List.copyOf(names);
        endpoints = List.copyOf(endpoints);
        deployments = List.copyOf(deployments);
        findings = List.copyOf(findings);
    }

    /** A view built by hand with its problems in words (the console's tests); not recorded "since". */
    public CertificateView(String id, List<String> names, Status status, String ca, Optional<Long> daysLeft, Optional<CertificateInfo> current,
                           List<EndpointView> endpoints, List<DeploymentView> deployments, List<String> problems) {
        this(id, names, status, ca, daysLeft, current, endpoints, deployments, Finding.fromTexts(problems), Optional.empty());
    }

    /**
     * equals and hashCode written out, with the values a record's own would have (every component, in order): a
     * record's are made at run time by ObjectMethods' bootstrap, whose method-handle tree is generated and compiled in
     * each process on the first call — in the console, the estate table's first cell update, before its first frame.
     */
    @Override public boolean equals(Object o) {
        return o == this || o instanceof CertificateView v && Objects.equals(id, v.id) && Objects.equals(names, v.names)
                && status == v.status && Objects.equals(ca, v.ca) && Objects.equals(daysLeft, v.daysLeft) && Objects.equals(current, v.current)
                && Objects.equals(endpoints, v.endpoints) && Objects.equals(deployments, v.deployments) && Objects.equals(findings, v.findings)
                && Objects.equals(since, v.since);
    }

    @Override public int hashCode() {
        int h = 0;
        for (Object c : new Object[] {id, names, status, ca, daysLeft, current, endpoints, deployments, findings, since}) h = h * 31 + Objects.hashCode(c);
        return h;
    }

    public boolean diverged() { return findings.stream().anyMatch(f -> f.kind().divergence()); }

    public Attention attention() {
        Attention a = status.attention();
        for (Finding f : findings) a = a.max(f.attention());
        return a;
    }

    /** Why the status is what it is: the first finding that implies it (else the first finding), empty when there is none. */
    public String reason() { return Finding.reason(status, findings); }

    public List<String> problems() { return findings.stream().map(Finding::message).toList(); }

    public List<String> hosts() { return deployments.stream().map(DeploymentView::hostId).toList(); }

    /** The label shown and recorded in history: the status (diverged is a status of its own). */
    public String statusLabel() { return status.label(); }

    public CertificateView since(Optional<Instant> since) {
        return new CertificateView(id, names, status, ca, daysLeft, current, endpoints, deployments, findings, since);
    }
}

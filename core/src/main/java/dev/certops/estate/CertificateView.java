package dev.certops.estate;

import dev.certops.crypto.CertificateInfo;
import java.util.List;
import java.util.Optional;

/**
 * One managed certificate as the estate sees it: the worst status of what it serves and holds, the
 * CA it came from, days left, its endpoints and deployments, and what needs attention.
 */
public record CertificateView(String id, List<String> names, Status status, String ca, Optional<Long> daysLeft,
                              Optional<CertificateInfo> current, List<EndpointView> endpoints, List<DeploymentView> deployments,
                              List<String> problems) {
    public CertificateView {
        names = List.copyOf(names);
        endpoints = List.copyOf(endpoints);
        deployments = List.copyOf(deployments);
        problems = List.copyOf(problems);
    }

    public boolean diverged() { return problems.stream().anyMatch(p -> p.startsWith("divergence")); }

    public List<String> hosts() { return deployments.stream().map(DeploymentView::hostId).toList(); }
}

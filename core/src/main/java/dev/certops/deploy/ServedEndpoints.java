package dev.certops.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which of a certificate's endpoints a host serves, i.e. which handshakes prove a deploy on it.
 *
 * <p>The rule ({@link #BY_ADDRESS}): an endpoint belongs to a host when the endpoint's host equals
 * the host entry's {@code address} (case-insensitive); a loopback host entry ({@code address}
 * 127.0.0.1, localhost, ::1 or local) serves the endpoints whose host is 127.0.0.1, localhost or ::1.
 * Endpoints served by no host entry (a load balancer in front) are not checked per host.
 * Callers that know better (several host entries behind one address) pass their own assignment.
 */
@FunctionalInterface
public interface ServedEndpoints {
    List<Endpoint> endpointsFor(HostConfig host, CertificateConfig certificate);

    Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", HostConfig.LOCAL);

    ServedEndpoints BY_ADDRESS = (host, cert) -> cert.endpoints().stream()
            .filter(e -> sameHost(host.address(), e.host())).toList();

    static boolean sameHost(String address, String endpointHost) {
        String a = address.toLowerCase(Locale.ROOT);
        String e = endpointHost.toLowerCase(Locale.ROOT);
        return a.equals(e) || LOOPBACK.contains(a) && LOOPBACK.contains(e) && !e.equals(HostConfig.LOCAL);
    }
}

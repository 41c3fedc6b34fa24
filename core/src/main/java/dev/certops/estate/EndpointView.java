package dev.certops.estate;

import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateInfo;
import java.util.List;
import java.util.Optional;

/**
 * What one endpoint serves, judged.
 *
 * @param certificateId the managed certificate it belongs to, empty for an extra watched endpoint
 * @param served        the leaf it served (subject, SANs, issuer, serial, key, validity), empty when unreachable
 * @param ca            the CA the leaf maps to (configured id, well-known name or issuer CN), "-" when unreachable
 * @param status        by the thresholds, expired, or unreachable
 * @param unreachable   why it could not be read: "refused: …", "timeout: …", "handshake: …", "dns: …"
 * @param daysLeft      days until the served leaf expires (negative once expired)
 * @param nameCovered   whether the leaf's names cover the endpoint's name (SNI)
 * @param chainComplete whether the served chain reaches its root or the certificate just below it, every link verifying
 * @param chainInOrder  whether the chain was sent leaf first, each certificate followed by its issuer
 * @param protocol      the TLS version the server chose
 * @param findings      name coverage, self-signed, chain, expiry, unreachability — in words, with their kind
 */
public record EndpointView(Optional<String> certificateId, Endpoint endpoint, Optional<CertificateInfo> served, String ca,
                           Status status, Optional<String> unreachable, Optional<Long> daysLeft, boolean nameCovered,
                           boolean chainComplete, boolean chainInOrder, String protocol, List<Finding> findings) {
    public EndpointView { findings = List.copyOf(findings); }

    /** A view built by hand with its problems in words (the console's tests): days left and chain details unknown. */
    public EndpointView(Optional<String> certificateId, Endpoint endpoint, Optional<CertificateInfo> served, String ca, Status status,
                        Optional<String> unreachable, boolean nameCovered, List<String> problems) {
        this(certificateId, endpoint, served, ca, status, unreachable, Optional.empty(), nameCovered, true, true, "", Finding.fromTexts(problems));
    }

    /** "host:port", the label used in tables, metrics and history. */
    public String label() { return endpoint.host() + ":" + endpoint.port(); }

    public Attention attention() {
        Attention a = status.attention();
        for (Finding f : findings) a = a.max(f.attention());
        return a;
    }

    /** Why the status is what it is: the first finding that implies it (else the first finding), empty when there is none. */
    public String reason() { return Finding.reason(status, findings); }

    public List<String> problems() { return findings.stream().map(Finding::message).toList(); }
}

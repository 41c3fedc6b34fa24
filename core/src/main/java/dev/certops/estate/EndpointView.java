package dev.certops.estate;

import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateInfo;
import java.util.List;
import java.util.Optional;

/**
 * What one endpoint serves, judged.
 *
 * @param certificateId the managed certificate it belongs to, empty for an extra watched endpoint
 * @param served        the leaf it served, empty when unreachable
 * @param unreachable   why it could not be read (refused, timeout, handshake failure)
 * @param problems      name coverage, chain completeness and order, divergence — in words
 */
public record EndpointView(Optional<String> certificateId, Endpoint endpoint, Optional<CertificateInfo> served, String ca,
                           Status status, Optional<String> unreachable, boolean nameCovered, List<String> problems) {
    public EndpointView { problems = List.copyOf(problems); }
}

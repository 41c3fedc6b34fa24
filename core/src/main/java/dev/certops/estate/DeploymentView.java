package dev.certops.estate;

import dev.certops.crypto.CertificateInfo;
import java.util.Optional;

/**
 * The copy live on a host's disk ({@code certDir/live/fullchain.pem}): the release the live link
 * names and the certificate with its status by the thresholds, or why it could not be read.
 *
 * @param deployed false when nothing was ever deployed there (not a problem: {@code error} says so)
 */
public record DeploymentView(String certificateId, String hostId, String certDir, Optional<String> release,
                             Optional<CertificateInfo> live, Optional<Status> status, Optional<String> error, boolean deployed) {

    /** A view built by hand (the console's tests): no status. */
    public DeploymentView(String certificateId, String hostId, String certDir, Optional<String> release, Optional<CertificateInfo> live,
                          Optional<String> error) {
        this(certificateId, hostId, certDir, release, live, Optional.empty(), error, live.isPresent() || error.isPresent());
    }
}

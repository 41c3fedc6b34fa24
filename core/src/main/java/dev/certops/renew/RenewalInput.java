package dev.certops.renew;

import dev.certops.config.CertificateConfig;
import dev.certops.crypto.CertificateInfo;
import java.util.List;
import java.util.Optional;

/**
 * Everything the planner needs about one configured certificate.
 *
 * @param known         every certificate known for it: issued here (stored versions) and found live on hosts or endpoints
 * @param revoked       the newest known certificate's serial was revoked (ACME_REVOKED in history)
 * @param ari           the CA's suggested renewal window, when fetched
 * @param divergedHosts hosts whose served certificate is not the current release
 */
public record RenewalInput(CertificateConfig config, List<CertificateInfo> known, boolean revoked,
                           Optional<AriWindow> ari, List<String> divergedHosts) {
    public RenewalInput {
        known = List.copyOf(known);
        divergedHosts = List.copyOf(divergedHosts);
    }

    public static RenewalInput of(CertificateConfig config, List<CertificateInfo> known) {
        return new RenewalInput(config, known, false, Optional.empty(), List.of());
    }
}

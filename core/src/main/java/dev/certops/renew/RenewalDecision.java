package dev.certops.renew;

import dev.certops.crypto.CertificateInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The planner's verdict for one certificate.
 *
 * @param reason     why, in words a person can act on
 * @param current    the newest known certificate, if any
 * @param dueAt      when it becomes (or became) due, if a certificate exists
 * @param hosts      for {@link RenewalAction#REDEPLOY}: the hosts to re-deploy
 */
public record RenewalDecision(String certificateId, RenewalAction action, String reason, Optional<CertificateInfo> current,
                              Optional<Instant> dueAt, List<String> hosts) {
    public RenewalDecision {
        hosts = List.copyOf(hosts);
    }
}

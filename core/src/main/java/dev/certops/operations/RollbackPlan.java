package dev.certops.operations;

import dev.certops.config.CertificateConfig;
import dev.certops.config.HostConfig;
import java.util.List;
import java.util.Optional;

/**
 * One host's rollback, decided before it runs: the previous release of {@code host} goes live again,
 * then the host's config test, reload and a TLS check. The gate shows {@link #preview()}; the rollback
 * executes this object.
 */
public record RollbackPlan(CertificateConfig certificate, List<HostConfig> knownHosts, String hostId, Optional<HostConfig> host,
                           Optional<String> forceReason) {

    public RollbackPlan {
        knownHosts = List.copyOf(knownHosts);
    }

    public String certificateId() { return certificate.id(); }

    /** What will run, in words. */
    public String preview() {
        return certificate.id() + " → " + hostId + ": point the live link at the previous release"
                + host.map(h -> ", " + h.testCommand() + ", " + h.reloadCommand()).orElse("") + ", TLS check";
    }
}

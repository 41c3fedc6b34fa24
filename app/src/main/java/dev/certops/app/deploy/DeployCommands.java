package dev.certops.app.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.Deployer;
import dev.certops.deploy.HostOutcome;
import dev.certops.lease.HeldLease;
import dev.certops.session.Session;

/** The console's deploy commands over core's {@link Deployer}, configured as the CLI configures it (history, lease). */
public final class DeployCommands {
    private final Session session;

    public DeployCommands(Session session) { this.session = session; }

    /** Puts the previous release of one host back live, holding the certificate's lease; returns the one-line outcome. */
    public HostOutcome rollback(String certificateId, String hostId, DeployListener listener) throws Exception {
        CertopsConfig cfg = session.config();
        CertificateConfig cert = cfg.certificate(certificateId).orElseThrow(() -> new IllegalArgumentException(
                "no certificate '" + certificateId + "' in " + cfg.file() + " — reload the settings if it was renamed"));
        try (HeldLease lease = session.leases().acquire(certificateId, "rollback", "console rollback of " + certificateId + " on " + hostId)) {
            Deployer deployer = session.deployer(DeploySettings.DEFAULT);
            return deployer.rollback(cert, cfg.hosts(), hostId, listener);
        }
    }
}

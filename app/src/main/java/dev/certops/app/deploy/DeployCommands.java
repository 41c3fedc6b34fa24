package dev.certops.app.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.Deployer;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.ServedEndpoints;
import dev.certops.lease.HeldLease;
import dev.certops.scan.TlsProbe;
import dev.certops.session.Session;
import java.util.Optional;

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
            Deployer deployer = new Deployer(session.connectors(), Optional.of(session.history()), TlsProbe.withDefaults(), session.clock(),
                    DeploySettings.DEFAULT, ServedEndpoints.BY_ADDRESS);
            return deployer.rollback(cert, cfg.hosts(), hostId, listener);
        }
    }
}

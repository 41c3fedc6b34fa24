package dev.certops.app.estate;

import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.IssuanceService;
import dev.certops.app.deploy.DeployCommands;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.Deployer;
import dev.certops.deploy.RolloutResult;
import dev.certops.deploy.WorkspaceVersions;
import dev.certops.lease.HeldLease;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The estate screen's world-changing actions over core's services, configured as the CLI configures
 * them ({@code certops deploy}, {@code certops revoke}): each holds the certificate's lease while it runs
 * and records in history. Returns one-line outcomes for the estate's message.
 */
public final class EstateCommands implements EstateViewModel.Actions {
    private final Session session;

    public EstateCommands(Session session) { this.session = session; }

    @Override
    public String deploy(String certificateId) throws Exception {
        CertificateConfig cert = certificate(certificateId);
        try (HeldLease lease = session.leases().acquire(certificateId, "deploy", "console deploy of " + certificateId)) {
            DeployBundle bundle = new WorkspaceVersions(session.workspace(), session.secrets()).load(certificateId, Optional.empty());
            Deployer deployer = session.deployer(DeploySettings.DEFAULT);
            RolloutResult r = deployer.deploy(cert, session.config().hosts(), bundle, Set.of(), DeployListener.NONE);
            String[] lines = r.summary().split("\n");
            String verdict = lines[lines.length - 1];
            return r.ok() ? "Deployed " + verdict : verdict + " " + String.join("; ", List.of(lines).subList(0, lines.length - 1))
                    + " — the Deployments screen has each host's reason.";
        }
    }

    @Override
    public String rollback(String certificateId, String hostId) throws Exception {
        return new DeployCommands(session).rollback(certificateId, hostId, DeployListener.NONE).summary();
    }

    @Override
    public String revoke(String certificateId, String reason) throws Exception {
        IssuanceService.RevocationReason r = IssuanceService.RevocationReason.of(reason).orElseThrow(() -> new IllegalArgumentException(
                "'" + reason + "' is not a revocation reason — choose one of " + String.join(", ", EstateViewModel.REVOCATION_REASONS)));
        certificate(certificateId);
        try (HeldLease lease = session.leases().acquire(certificateId, "revoke", "console revoke of " + certificateId)) {
            var v = new IssuanceService(session, FailoverPolicy.defaults()).revoke(certificateId, Optional.empty(), r);
            String line = "Revoked " + certificateId + " version " + v.number() + " (serial " + v.serial() + ") at " + v.ca() + ", reason " + r.cliName() + ".";
            return r == IssuanceService.RevocationReason.KEY_COMPROMISE
                    ? line + " Next: start the key-compromise runbook for " + certificateId + " (Start runbook…, serial " + v.serial()
                    + ") to issue with a new key and deploy it."
                    : line;
        }
    }

    @Override
    public List<String> waves(String certificateId) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<String> wave : certificate(certificateId).waves()) out.add(String.join(", ", wave));
        return out;
    }

    @Override
    public List<String> runbooks() throws Exception {
        return session.runbooks().catalog().list().stream().map(RunbookCatalog.Entry::name).toList();
    }

    private CertificateConfig certificate(String certificateId) throws Exception {
        CertopsConfig cfg = session.config();
        return cfg.certificate(certificateId).orElseThrow(() -> new IllegalArgumentException(
                "no certificate '" + certificateId + "' in " + cfg.file() + " — reload the settings if it was renamed"));
    }
}

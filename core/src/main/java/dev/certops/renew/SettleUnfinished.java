package dev.certops.renew;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.Deployer;
import dev.certops.lease.HeldLease;
import dev.certops.lease.LeaseHeldException;
import dev.certops.session.Session;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The start of a renew run: a release that a killed deploy left swapped live and unverified (found in the
 * write-ahead record) is settled before anything is decided — verified, or the release before it put back —
 * so the run scans and decides on the truth, not on a host caught halfway. Each is settled under the
 * certificate's lease; a lease held by a live process means that deploy is still running: it is left alone.
 */
final class SettleUnfinished {
    private final Session session;
    private final Deployer deployer;
    private final long pid;

    SettleUnfinished(Session session, Deployer deployer, long pid) {
        this.session = session;
        this.deployer = deployer;
        this.pid = pid;
    }

    /** Settles what is unfinished among {@code certs}; returns the certificates that could not be settled, with why. */
    Map<String, String> run(CertopsConfig cfg, List<CertificateConfig> certs, RenewProgress progress) throws Exception {
        Map<String, String> failed = new LinkedHashMap<>();
        Set<String> unfinished;
        try {
            unfinished = deployer.withUnfinishedDeploys();
        } catch (DeployException e) {
            for (CertificateConfig c : certs) failed.put(c.id(), e.getMessage());
            return failed;
        }
        if (unfinished.isEmpty()) return failed;
        for (CertificateConfig c : certs) {
            if (!unfinished.contains(c.id())) continue;
            HeldLease lease;
            try {
                lease = session.leases().acquire(c.id(), "recovery", "certops renew pid=" + pid + " started " + Instant.now(session.clock()));
            } catch (LeaseHeldException e) {
                progress.line(c.id(), "a deploy in progress holds its lease; its unfinished release is left to it (" + e.getMessage() + ")");
                continue;
            }
            try (lease) {
                for (Deployer.Recovery r : deployer.recover(c, cfg.hosts(), DeployListener.NONE)) {
                    progress.line(c.id(), "recovered an interrupted deploy first: " + r.summary());
                }
            } catch (DeployException e) {
                failed.put(c.id(), "an earlier deploy was interrupted and could not be settled: " + e.getMessage());
            }
        }
        return failed;
    }
}

package dev.certops.renew;

import dev.certops.config.CertificateConfig;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeploySettings;
import dev.certops.lease.LeaseHeldException;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.HeldLeases;
import dev.certops.operations.UnsettledDeployException;
import dev.certops.services.CoreServices;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The start of a renew run: a release that a killed deploy left swapped live and unverified (found in the
 * write-ahead record) is settled before anything is decided — verified, or the release before it put back —
 * so the run scans and decides on the truth, not on a host caught halfway. Each is settled by taking the
 * certificate's lease through the operations layer (which settles what is unfinished under it); a lease held
 * by a live process means that deploy is still running: it is left alone.
 */
final class SettleUnfinished {
    private final CoreServices services;
    private final CertificateOperations operations;
    private final long pid;

    SettleUnfinished(CoreServices services, CertificateOperations operations, long pid) {
        this.services = services;
        this.operations = operations;
        this.pid = pid;
    }

    /** Settles what is unfinished among {@code certs}; returns the certificates that could not be settled, with why. */
    Map<String, String> run(List<CertificateConfig> certs, RenewProgress progress) throws Exception {
        Map<String, String> failed = new LinkedHashMap<>();
        Set<String> unfinished;
        try {
            unfinished = services.deployer(DeploySettings.DEFAULT).withUnfinishedDeploys();
        } catch (DeployException e) {
            for (CertificateConfig c : certs) failed.put(c.id(), e.getMessage());
            return failed;
        }
        if (unfinished.isEmpty()) return failed;
        String holder = "certops renew pid=" + pid + " started " + Instant.now(services.clock());
        for (CertificateConfig c : certs) {
            if (!unfinished.contains(c.id())) continue;
            try (HeldLeases settled = operations.lease(c.id(), "recovery", holder,
                    line -> progress.line(c.id(), Character.toLowerCase(line.charAt(0)) + line.substring(1)))) {
                settled.leases();
            } catch (LeaseHeldException e) {
                progress.line(c.id(), "a deploy in progress holds its lease; its unfinished release is left to it (" + e.getMessage() + ")");
            } catch (UnsettledDeployException e) {
                failed.put(c.id(), e.getMessage());
            }
        }
        return failed;
    }
}

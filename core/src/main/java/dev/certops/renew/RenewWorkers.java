package dev.certops.renew;

import dev.certops.config.CertopsConfig;
import dev.certops.lease.HeldLease;
import dev.certops.lease.LeaseHeldException;
import dev.certops.session.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the due certificates' work with bounded concurrency, each under a lease on the certificate
 * (as deploy does), each isolated: an exception in one becomes that certificate's failure. A lease
 * left by a renew run of this workspace that was killed (its process is gone; this run holds the
 * workspace lock, so no renew run of it is alive) is broken with that reason and taken.
 */
final class RenewWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(RenewWorkers.class);

    record Job(KnownCertificates.Known known, RenewalDecision decision, Optional<RenewHistory.Failing> failing) { }

    private final Session session;
    private final int concurrency;
    private final long pid;

    RenewWorkers(Session session, int concurrency, long pid) {
        this.session = session;
        this.concurrency = concurrency;
        this.pid = pid;
    }

    List<RenewOutcome> run(CertopsConfig cfg, List<Job> jobs, CertificateRenewal work, RenewProgress progress) throws InterruptedException {
        if (jobs.isEmpty()) return List.of();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, jobs.size()), r -> {
            Thread t = new Thread(r, "certops-renew");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RenewOutcome>> futures = new ArrayList<>();
            for (Job j : jobs) futures.add(pool.submit(() -> one(cfg, j, work, progress)));
            List<RenewOutcome> out = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Job j = jobs.get(i);
                    LOG.error("renewing {} failed unexpectedly", j.decision().certificateId(), e.getCause());
                    out.add(new RenewOutcome.Failed(j.decision().certificateId(), "renew", String.valueOf(e.getCause().getMessage()),
                            e.getCause().getClass().getSimpleName(), "", false, j.known().input().config().hosts(),
                            j.decision().current().map(c -> c.notAfter()), j.failing().map(RenewHistory.Failing::consecutive).orElse(0) + 1,
                            Backoff.nextAttempt(session.clock().instant(), j.failing().map(RenewHistory.Failing::consecutive).orElse(0) + 1)));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private RenewOutcome one(CertopsConfig cfg, Job j, CertificateRenewal work, RenewProgress progress) throws Exception {
        String id = j.decision().certificateId();
        progress.line(id, j.decision().action().name().toLowerCase() + ": " + j.decision().reason());
        HeldLease lease;
        try {
            lease = acquire(id);
        } catch (LeaseHeldException e) {
            return new RenewOutcome.NotDue(id, "skipped — " + e.getMessage());
        }
        try (lease) {
            return work.run(cfg, j.known(), j.decision(), j.failing(), progress);
        }
    }

    /** A lease left by a killed run of this machine is taken over at once by the lease service (its process is gone). */
    private HeldLease acquire(String id) throws Exception {
        return session.leases().acquire(id, "renew", "certops renew pid=" + pid + " started " + Instant.now(session.clock()));
    }
}

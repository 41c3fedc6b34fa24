package dev.certops.renew;

import dev.certops.config.CertopsConfig;
import dev.certops.history.HistoryException;
import dev.certops.lease.LeaseHeldException;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.RenewalPlan;
import dev.certops.words.Causes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
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

    private final CertificateOperations operations;
    private final Clock clock;
    private final int concurrency;
    private final long pid;

    RenewWorkers(CertificateOperations operations, Clock clock, int concurrency, long pid) {
        this.operations = operations;
        this.clock = clock;
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
                } catch (ExecutionException e) {
                    out.add(unexpected(jobs.get(i), work, e.getCause()));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A worker that failed unexpectedly is that certificate's failure, recorded like any other (backoff, metrics,
     * alerts); when even the history cannot be written, the failure is still reported for this run.
     */
    private static RenewOutcome unexpected(Job j, CertificateRenewal work, Throwable cause) {
        String id = j.decision().certificateId();
        LOG.error("renewing {} failed unexpectedly", id, cause);
        var cert = j.known().input().config();
        String reason = Causes.withContext(cause);
        var notAfter = j.decision().current().map(c -> c.notAfter());
        try {
            return work.failed(cert, "renew", reason, List.of(), notAfter);
        } catch (HistoryException e) {
            LOG.error("the failure of {} cannot be recorded in the history: {}", id, e.getMessage());
            return work.failure(cert, "renew", reason, List.of(), notAfter, j.failing());
        }
    }

    /** One certificate's renewal through the operations layer: planned, then issued and deployed under its lease. */
    private RenewOutcome one(CertopsConfig cfg, Job j, CertificateRenewal work, RenewProgress progress) throws Exception {
        String id = j.decision().certificateId();
        progress.line(id, j.decision().action().name().toLowerCase() + ": " + j.decision().reason());
        RenewalPlan plan = work.plan(j.known(), j.decision());
        try {
            return CertificateRenewal.outcome(operations.renew(plan, line -> progress.line(id, line),
                    "certops renew pid=" + pid + " started " + Instant.now(clock), notice -> progress.line(id, notice)), j.decision());
        } catch (LeaseHeldException e) {
            return new RenewOutcome.NotDue(id, RenewOutcome.SKIPPED_FOR_LEASE + e.getMessage());
        }
    }
}

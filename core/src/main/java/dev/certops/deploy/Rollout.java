package dev.certops.deploy;

import dev.certops.history.EventKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs waves in order: hosts inside a wave concurrently (bounded), the next wave only when every
 * host of this one verified; the first failing wave stops the rollout and the rest are skipped.
 */
final class Rollout {
    static final String INTERRUPTED = "not attempted: certops was asked to stop (SIGTERM) — deploy again to continue";
    private final int concurrency;
    private final DeployJournal journal;

    Rollout(int concurrency, DeployJournal journal) {
        this.concurrency = concurrency;
        this.journal = journal;
    }

    RolloutResult run(DeployBundle bundle, List<List<HostDeployment.Target>> waves,
                      Function<HostDeployment.Target, HostDeployment> deployment, Map<String, String> info) {
        for (List<HostDeployment.Target> wave : waves) for (HostDeployment.Target t : wave) journal.state(t.host().id(), HostState.WAITING, "wave " + (waves.indexOf(wave) + 1));
        List<HostOutcome> outcomes = new ArrayList<>();
        Optional<Integer> stoppedAt = Optional.empty();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "certops-deploy");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int w = 0; w < waves.size(); w++) {
                if (Interruptions.requested() && stoppedAt.isEmpty()) stoppedAt = Optional.of(w);
                if (stoppedAt.isPresent() && Interruptions.requested()) {
                    for (HostDeployment.Target t : waves.get(w)) {
                        journal.state(t.host().id(), HostState.SKIPPED, INTERRUPTED);
                        outcomes.add(new HostOutcome.Skipped(t.host().id(), INTERRUPTED));
                    }
                    continue;
                }
                if (stoppedAt.isPresent()) {
                    for (HostDeployment.Target t : waves.get(w)) {
                        String why = "wave " + (stoppedAt.get() + 1) + (stoppedAt.get() == 0 ? " (canary)" : "") + " failed";
                        journal.state(t.host().id(), HostState.SKIPPED, why);
                        outcomes.add(new HostOutcome.Skipped(t.host().id(), why));
                    }
                    continue;
                }
                List<Future<HostOutcome>> futures = new ArrayList<>();
                for (HostDeployment.Target t : waves.get(w)) futures.add(pool.submit(() -> deployment.apply(t).run()));
                for (int i = 0; i < futures.size(); i++) {
                    HostOutcome o = await(futures.get(i), waves.get(w).get(i).host().id());
                    outcomes.add(o);
                    finished(o, info);
                    if (!o.ok()) stoppedAt = Optional.of(w);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        RolloutResult result = new RolloutResult(bundle.certificateId(), bundle.versionLabel(), outcomes, stoppedAt);
        if (Interruptions.requested()) {
            for (HostOutcome o : outcomes) {
                if (o instanceof HostOutcome.Skipped) continue;
                journal.record(Deployer.event(EventKinds.DEPLOY_INTERRUPTED, bundle.certificateId(), o.ok(), Deployer.details(
                        "host", o.hostId(), "release", info.get("release"), "signal", "SIGTERM",
                        "detail", "stopped on request after this host " + (o.ok() ? "verified" : "was settled: " + o.summary()))));
            }
        }
        journal.record(Deployer.event(EventKinds.DEPLOY_FINISHED, bundle.certificateId(), result.ok(), Deployer.details(
                "waves", waves.stream().map(wv -> wv.stream().map(t -> t.host().id()).toList()).toList(),
                "hosts", outcomes.size(), "version", bundle.versionLabel(), "release", info.get("release"),
                "failedHost", result.firstFailure().map(HostOutcome::hostId).orElse(""),
                "stoppedAtWave", stoppedAt.map(x -> x + 1).orElse(0))));
        return result;
    }

    private void finished(HostOutcome o, Map<String, String> info) {
        if (o instanceof HostOutcome.Planned) return;
        journal.record(Deployer.event(EventKinds.DEPLOY_HOST_FINISHED, journal.certificateId(), o.ok(), Deployer.details(
                "host", o.hostId(), "release", info.get("release"), "serial", info.get("serial"),
                "verified", o.ok() && !o.unverified(), "rolledBack", o instanceof HostOutcome.RolledBack, "summary", o.summary())));
    }

    private static HostOutcome await(Future<HostOutcome> f, String hostId) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return new HostOutcome.Failed(hostId, "internal", "unexpected error: " + e.getCause(), Optional.empty(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HostOutcome.Failed(hostId, "internal", "interrupted", Optional.empty(), true);
        }
    }
}

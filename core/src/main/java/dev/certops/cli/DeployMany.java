package dev.certops.cli;

import dev.certops.deploy.DeployListener;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import dev.certops.parallel.Batch;
import dev.certops.operations.CertificateBatch;
import dev.certops.operations.DeployResult;
import dev.certops.words.Causes;
import dev.certops.words.Words;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code certops deploy A B C …}: the certificates deployed at once in this process ({@link CertificateBatch}),
 * each along its waves under its own lease; one line per certificate as it ends — verified where, or where it
 * stopped and why — then a summary. Exit 0 all verified, 1 some host took a release with nothing to verify it
 * by, 2 any certificate failed (the others still complete).
 */
final class DeployMany {
    private final CliContext ctx;
    private final int concurrency;

    DeployMany(CliContext ctx, int concurrency) {
        this.ctx = ctx;
        this.concurrency = concurrency;
    }

    int deploy(List<String> ids, CertificateBatch.DeployPlanner planner) throws Exception {
        PrintWriter out = ctx.out();
        out.println("Deploying " + Words.count(ids.size(), "certificate") + ", up to " + Math.min(concurrency, ids.size()) + " at once:");
        int width = ids.stream().mapToInt(String::length).max().orElse(0);
        long start = System.nanoTime();
        List<Batch.Outcome<String, DeployResult>> outcomes = new CertificateBatch(ctx.operations(), concurrency)
                .deploy(ids, planner, DeployListener.NONE, "certops deploy", out::println, o -> out.println(line(o, width)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<String> failed = new ArrayList<>();
        boolean unverified = false;
        for (var o : outcomes) {
            RolloutResult r = o.value().map(DeployResult::rollout).orElse(null);
            if (r == null || !r.ok()) failed.add(o.item());
            else unverified |= !r.unverifiedHosts().isEmpty();
        }
        out.println((failed.isEmpty() ? "Deployed all " + Words.count(ids.size(), "certificate")
                : "Deployed " + (ids.size() - failed.size()) + " of " + ids.size() + "; " + failed.size() + " failed: " + String.join(", ", failed))
                + " (" + Words.elapsed(took) + ").");
        if (!failed.isEmpty()) out.println("Each host's steps, for one that failed: ./certops deploy " + failed.get(0));
        return !failed.isEmpty() ? ExitCodes.FAILED : unverified ? ExitCodes.WARNING : ExitCodes.OK;
    }

    private static String line(Batch.Outcome<String, DeployResult> o, int width) {
        String id = String.format("%-" + width + "s", o.item());
        if (o.failure().isPresent()) return "  " + id + "  FAILED: " + Causes.withContext(o.failure().get());
        RolloutResult r = o.value().orElseThrow().rollout();
        if (r.ok()) {
            List<String> hosts = r.hosts().stream().map(HostOutcome::hostId).toList();
            String where = r.unverifiedHosts().isEmpty() ? "verified on " + Words.and(hosts)
                    : "deployed to " + Words.and(hosts) + "; NOT verified on " + Words.and(r.unverifiedHosts()) + " (no endpoint served there)";
            return "  " + id + "  version " + r.versionLabel() + " " + where + " (" + Words.elapsed(o.took()) + ")";
        }
        return "  " + id + "  FAILED: version " + r.versionLabel() + ", rollout stopped"
                + r.stoppedAt().map(w -> " in wave " + (w + 1) + (w == 0 ? " (canary)" : "")).orElse("")
                + r.firstFailure().map(f -> " — " + f.summary()).orElse("");
    }
}

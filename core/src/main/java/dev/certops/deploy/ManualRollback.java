package dev.certops.deploy;

import dev.certops.history.EventKinds;
import dev.certops.history.HistoryUnwritableException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code certops rollback CERT --host H}: points live at the release before the current one,
 * runs the config test (restoring on failure), reloads, and verifies the older certificate is served.
 */
final class ManualRollback {
    private final HostDeployment.Target target;
    private final DeployJournal journal;
    private final DeployContext ctx;

    private final Function<X509Certificate, Optional<String>> gate;

    /** {@code gate}: why the target release's certificate must not be served again (empty: it may). */
    ManualRollback(HostDeployment.Target target, DeployJournal journal, DeployContext ctx,
                   Function<X509Certificate, Optional<String>> gate) {
        this.target = target;
        this.journal = journal;
        this.ctx = ctx;
        this.gate = gate;
    }

    HostOutcome run() {
        String h = target.host().id();
        journal.state(h, HostState.CONNECTING, target.host().address());
        String current = "";
        try (HostChannel ch = ctx.open(target.host())) {
            ReleaseOps ops = new ReleaseOps(ch, target.paths(), ctx.settings().commandTimeout());
            ServiceCommands.Commands commands = ctx.commands(ch, target.host());
            Optional<String> live = ops.liveRelease();
            current = live.orElse("");
            Optional<Release> found = previousComplete(ops, live);
            Optional<String> previous = found.map(Release::name);
            if (found.isEmpty()) {
                return failed(current, "there is no earlier complete release under " + target.paths().releasesDir() + " to go back to", live);
            }
            Optional<String> refused = gate.apply(found.get().leaf());
            if (refused.isPresent()) {
                return failed(current, "the release to go back to, " + previous.get() + ", must not be served: " + refused.get(), live);
            }
            journal.state(h, HostState.ROLLING_BACK, current + " -> " + previous.get());
            try {
                journal.intent(h, "rollback", current, "live -> " + previous.get() + " (requested by the operator)");
            } catch (HistoryUnwritableException e) {
                return failed(current, e.getMessage(), live);
            }
            ServiceGate gate = ctx.gate(target.host());
            gate.swapping(() -> { ops.pointLiveAt(previous.get()); return null; });
            TestThenReload tr = gate.testAndReload(ch, commands.test(), commands.reload(), ctx.settings().commandTimeout());
            if (!tr.test().ok()) {
                if (live.isPresent()) gate.swapping(() -> { ops.pointLiveAt(live.get()); return null; });
                return failed(current, "config test failed with " + previous.get() + " live, " + current + " restored: " + tr.test().output(), live);
            }
            ExecResult reload = tr.reload().orElseThrow();
            if (!reload.ok()) return failed(current, "reload failed: " + reload.output(), previous);
            X509Certificate restoredLeaf = found.get().leaf();
            Optional<String> replacedSerial = live.isPresent() ? ops.leafSerial(live.get()) : Optional.empty();
            Optional<String> problem = ctx.verify(ch, target.endpoints(), DeployBundle.sha256Hex(restoredLeaf));
            if (problem.isEmpty() && target.endpoints().isEmpty()) problem = Optional.of(HostOutcome.NOT_VERIFIED);
            boolean verified = problem.isEmpty();
            journal.record(Deployer.event(EventKinds.DEPLOY_ROLLBACK, journal.certificateId(), verified, Deployer.details(
                    "host", h, "from", current, "to", previous.get(), "verified", verified, "reason", "requested by the operator",
                    "detail", problem.orElse("served"), "unverified", !verified && target.endpoints().isEmpty())));
            // nothing to handshake is a warning (the previous release is live, only unproven); a wrong certificate served is a failure
            HostState end = verified ? HostState.ROLLED_BACK : target.endpoints().isEmpty() ? HostState.UNVERIFIED : HostState.FAILED;
            journal.state(h, end, problem.orElse(previous.get() + " served"));
            return new HostOutcome.RolledBack(h, current, previous, HostOutcome.RolledBack.ON_REQUEST, "requested by the operator", verified, problem.orElse("previous certificate served"),
                    replacedSerial, Optional.of(ReleaseOps.serial(restoredLeaf)));
        } catch (DeployException e) {
            return failed(current, e.getMessage(), Optional.empty());
        }
    }

    /** A release on the host and its leaf certificate, read once. */
    private record Release(String name, X509Certificate leaf) { }

    /** The newest release older than the live one whose certificate can be read. */
    private static Optional<Release> previousComplete(ReleaseOps ops, Optional<String> live) throws DeployException {
        List<String> all = ops.releases();
        for (int i = all.size() - 1; i >= 0; i--) {
            String r = all.get(i);
            if (live.isPresent() && r.compareTo(live.get()) >= 0) continue;
            Optional<X509Certificate> leaf = ops.leaf(r);
            if (leaf.isPresent()) return Optional.of(new Release(r, leaf.get()));
        }
        return Optional.empty();
    }

    private HostOutcome failed(String from, String reason, Optional<String> live) {
        String h = target.host().id();
        journal.record(Deployer.event(EventKinds.DEPLOY_ROLLBACK, journal.certificateId(), false, Deployer.details(
                "host", h, "from", from, "to", "", "verified", false, "reason", reason)));
        journal.state(h, HostState.FAILED, reason);
        return new HostOutcome.Failed(h, "rollback", reason, live, false);
    }
}

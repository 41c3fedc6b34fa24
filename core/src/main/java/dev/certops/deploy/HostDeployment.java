package dev.certops.deploy;

import dev.certops.config.DeploymentConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryUnwritableException;
import dev.certops.history.NewEvent;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The release swap on one host: upload into a new release, swap live atomically, config test,
 * reload, verify by handshake, roll back when any of that fails, prune old releases. The operator
 * is never left with neither release live.
 */
final class HostDeployment {
    /** What this host deploys and how it is reached. */
    record Target(HostConfig host, RemotePaths paths, List<Endpoint> endpoints, DeploymentConfig deployment) {
        Target(HostConfig host, RemotePaths paths, List<Endpoint> endpoints) { this(host, paths, endpoints, DeploymentConfig.DEFAULT); }
        /** True when owner, group or mode were configured: the live files are checked after the swap. */
        boolean checksOwnership() { return deployment.owner().isPresent() || deployment.group().isPresent() || deployment.keyMode().isPresent(); }
    }

    private final Target target;
    private final DeployBundle bundle;
    private final ReleaseFiles files;
    private final String release;
    private final String sha256;
    private final DeployJournal journal;
    private final DeployContext ctx;
    private final ServiceGate gate;
    private ServiceCommands.Commands commands;
    /** This host entry on its way to its server's test and reload (closed when it gets there or stops). */
    private ServiceGate.Approach approach;

    HostDeployment(Target target, DeployBundle bundle, ReleaseFiles files, String release, String sha256, DeployJournal journal, DeployContext ctx) {
        this.target = target;
        this.bundle = bundle;
        this.files = files;
        this.release = release;
        this.sha256 = sha256;
        this.journal = journal;
        this.ctx = ctx;
        this.gate = ctx.gate(target.host());
    }

    HostOutcome run() {
        String h = target.host().id();
        journal.state(h, HostState.CONNECTING, target.host().address());
        // counted on its way once connected (uploading, swapping): not while it waits for a login another host holds
        try (HostChannel ch = ctx.open(target.host()); ServiceGate.Approach a = gate.approach()) {
            approach = a;
            journal.step(h, "connect", release, true, target.host().address());
            commands = ctx.commands(ch, target.host());
            HostOutcome outcome = swap(ch, new ReleaseOps(ch, target.paths(), ctx.settings().commandTimeout()));
            return ch instanceof DryRunChannel d ? new HostOutcome.Planned(h, d.commands()) : outcome;
        } catch (DeployException e) {
            return failed(e.step() == null ? "connect" : e.step(), e.getMessage(), Optional.empty(), false);
        }
    }

    private HostOutcome swap(HostChannel ch, ReleaseOps ops) {
        String h = target.host().id();
        journal.state(h, HostState.UPLOADING, release);
        Optional<String> previous = Optional.empty();
        try {
            previous = ops.liveRelease();
            journal.intent(h, "upload", release, "new release beside live " + previous.orElse("(none)"));
            List<String> stale = ops.removeStale(previous);
            ops.upload(release, files);
            journal.step(h, "upload", release, true, String.join(", ", files.names()) + "; SHA-256 checked on the host" + (stale.isEmpty() ? "" : "; removed leftovers " + stale));
        } catch (HistoryUnwritableException e) {
            return failed("upload", e.getMessage(), previous, false);
        } catch (DeployException e) {
            try { ops.removeRelease(release); } catch (DeployException ignored) { /* the next deploy removes leftovers */ }
            return failed("upload", e.getMessage(), previous, false);
        }
        journal.state(h, HostState.SWAPPING, release);
        try {
            journal.intent(h, "swap", release, previous, "live -> " + RemotePaths.linkTarget(release) + previous.map(p -> " (was " + p + ")").orElse(""));
        } catch (HistoryUnwritableException e) {
            try { ops.removeRelease(release); } catch (DeployException ignored) { /* the next deploy removes leftovers */ }
            return failed("swap", e.getMessage(), previous, false);
        }
        try {
            gate.swapping(() -> { ops.pointLiveAt(release); return null; });
        } catch (DeployException e) {
            return rollback(ops, previous, "swap", e.getMessage(), false);
        }
        Optional<String> unrecorded = journal.changed(h, "swap", release, "live -> " + RemotePaths.linkTarget(release) + previous.map(p -> " (was " + p + ")").orElse(""));
        if (unrecorded.isPresent()) return rollback(ops, previous, "record", unrecordedReason("swap", unrecorded.get()), false);
        if (target.checksOwnership()) {
            Optional<String> wrong;
            try {
                wrong = ops.checkOwnership(files);
            } catch (DeployException e) {
                return rollback(ops, previous, "permissions", e.getMessage(), false);
            }
            if (wrong.isPresent()) return rollback(ops, previous, "permissions", wrong.get(), false);
        }
        try {
            journal.intent(h, "reload", release, commands.test() + " then " + commands.reload());
        } catch (HistoryUnwritableException e) {
            return rollback(ops, previous, "record", e.reason() + " before the reload", false);
        }
        journal.state(h, HostState.TESTING, commands.test());
        try {
            TestThenReload tr = gate.testAndReload(ch, commands.test(), commands.reload(), ctx.settings().commandTimeout(), approach);
            ExecResult test = tr.test();
            if (!test.ok()) {
                journal.step(h, "test", release, false, test.output());
                return rollback(ops, previous, "config test", "'" + commands.test() + "' failed (exit " + test.exitCode() + "): " + test.output(), false);
            }
            journal.step(h, "test", release, true, test.output());
            journal.state(h, HostState.RELOADING, commands.reload());
            ExecResult reload = tr.reload().orElseThrow();
            if (!reload.ok()) {
                journal.step(h, "reload", release, false, reload.output());
                return rollback(ops, previous, "reload", "'" + commands.reload() + "' failed (exit " + reload.exitCode() + "): " + reload.output(), true);
            }
            unrecorded = journal.changed(h, "reload", release, reload.output());
            if (unrecorded.isPresent()) return rollback(ops, previous, "record", unrecordedReason("reload", unrecorded.get()), true);
        } catch (DeployException e) {
            return rollback(ops, previous, e.step(), e.getMessage(), true);
        }
        journal.state(h, HostState.VERIFYING, "expecting SHA-256 " + ServedCheck.shortFp(sha256) + " on " + target.endpoints());
        Optional<String> problem = ctx.verify(ch, target.endpoints(), sha256);
        if (problem.isPresent()) {
            journal.step(h, "verify", release, false, problem.get());
            return rollback(ops, previous, "verify", problem.get(), true);
        }
        unrecorded = journal.changed(h, "verify", release, target.endpoints().isEmpty() ? HostOutcome.NOT_VERIFIED : "served on " + target.endpoints());
        if (unrecorded.isPresent()) return rollback(ops, previous, "record", unrecordedReason("verification", unrecorded.get()), true);
        try {
            List<String> removed = ops.prune(target.host().keepReleases(), release, previous);
            if (!removed.isEmpty()) journal.step(h, "prune", release, true, "removed " + removed);
        } catch (DeployException e) {
            journal.step(h, "prune", release, false, e.getMessage());
        }
        journal.state(h, target.endpoints().isEmpty() ? HostState.UNVERIFIED : HostState.VERIFIED,
                target.endpoints().isEmpty() ? release + " — " + HostOutcome.NOT_VERIFIED : release);
        return new HostOutcome.Verified(h, release, previous, target.endpoints().size());
    }

    /** Puts the previous release back (or removes live on a first deploy), reloads if needed, checks what is served. */
    private HostOutcome rollback(ReleaseOps ops, Optional<String> previous, String step, String reason, boolean reload) {
        String h = target.host().id();
        journal.state(h, HostState.ROLLING_BACK, step + " failed: " + reason);
        try {
            journal.intent(h, "rollback", release, "live -> " + previous.orElse("(none)"));
        } catch (HistoryUnwritableException e) {
            // restoring the release that was live before is recovery: it runs even when it cannot be recorded
            reason = reason + (reason.contains(e.reason()) ? "; the rollback itself could not be recorded either"
                    : "; the rollback itself could not be recorded either (" + e.reason() + ")");
        }
        try {
            gate.swapping(() -> {
                if (previous.isPresent()) ops.pointLiveAt(previous.get());
                else ops.removeLive();
                return null;
            });
            if (reload) {
                ExecResult r = gate.reload(ops.channel(), commands.reload(), ctx.settings().commandTimeout());
                if (!r.ok()) throw new DeployException(h, "rollback", "reload after restoring failed: " + r.output(), null);
            }
            try { ops.removeRelease(release); } catch (DeployException ignored) { /* the next deploy removes leftovers */ }
        } catch (DeployException e) {
            journal.record(new NewEvent(EventKinds.DEPLOY_ROLLBACK, journal.certificateId(), "failed",
                    Map.of("host", h, "from", release, "to", previous.orElse(""), "verified", false, "detail", e.getMessage())));
            return failed("rollback", step + " failed (" + reason + "), then restoring failed: " + e.getMessage(), previous, true);
        }
        boolean verified = false;
        String detail;
        Optional<X509Certificate> prevLeaf = Optional.empty();
        if (previous.isEmpty()) {
            detail = "there was no earlier release: live removed";
        } else {
            Optional<String> prevSha;
            try { prevLeaf = ops.leaf(previous.get()); } catch (DeployException e) { prevLeaf = Optional.empty(); }
            prevSha = prevLeaf.map(DeployBundle::sha256Hex);
            if (prevSha.isEmpty()) {
                detail = "could not read the previous release's certificate";
            } else {
                Optional<String> problem = ctx.verify(null, target.endpoints(), prevSha.get());
                verified = problem.isEmpty();
                detail = problem.orElse("previous certificate served");
            }
        }
        journal.record(new NewEvent(EventKinds.DEPLOY_ROLLBACK, journal.certificateId(), verified ? "ok" : "failed",
                Map.of("host", h, "from", release, "to", previous.orElse(""), "verified", verified, "reason", step + ": " + reason, "detail", detail)));
        journal.state(h, HostState.ROLLED_BACK, step + " failed: " + reason + " — " + detail);
        return new HostOutcome.RolledBack(h, release, previous, step, reason, verified, detail,
                newSerial(), prevLeaf.map(ReleaseOps::serial));
    }

    /** Why a host changed without a record is rolled back: the same recovery as a failed verification. */
    private static String unrecordedReason(String step, String cause) {
        return "history cannot be written after the " + step + " (" + cause + "); the host is rolled back as after a failed verification, "
                + "so nothing unrecorded stays served";
    }

    private Optional<String> newSerial() {
        try {
            return Optional.of(ReleaseOps.serial(bundle.leaf()));
        } catch (DeployException e) {
            return Optional.empty();
        }
    }

    private HostOutcome failed(String step, String reason, Optional<String> live, boolean liveTouched) {
        String h = target.host().id();
        journal.step(h, step, release, false, reason);
        journal.state(h, HostState.FAILED, step + ": " + reason);
        return new HostOutcome.Failed(h, step, reason, live, liveTouched);
    }
}

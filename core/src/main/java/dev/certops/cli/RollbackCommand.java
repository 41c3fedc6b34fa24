package dev.certops.cli;

import dev.certops.deploy.HostOutcome;
import dev.certops.operations.HeldLeases;
import dev.certops.operations.RollbackPlan;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops rollback CERT_ID --host HOST_ID}: the previous release live again, reloaded, verified. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Point a host's live link back at the release before the current one, reload, and verify it is served.")
final class RollbackCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "CERT_ID", description = "The certificate's id in certops.yaml.") String certificateId;
    @Option(names = "--host", paramLabel = "HOST_ID", required = true,
            description = "The host to roll back (its id in certops.yaml); the other hosts are left as they are.") String hostId;
    @Option(names = "--force", description = "Go back even to a release the deploy gate refuses (revoked, expired, names not covering the endpoints); needs --reason, recorded.")
    boolean force;
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why --force overrides the gate (recorded in history).")
    String reason;

    RollbackCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        if (force != (reason != null) || (reason != null && reason.isBlank())) {
            throw new CommandFailedException("--force and --reason go together: --force --reason \"why this release must be served again\" "
                    + "(the reason is recorded in history)", ExitCodes.USAGE);
        }
        HostOutcome o;
        try (HeldLeases lease = ctx.lease(certificateId, "rollback", "certops rollback " + certificateId + " --host " + hostId)) {
            RollbackPlan plan = ctx.operations().planRollback(certificateId, hostId, force ? Optional.of(reason) : Optional.empty());
            o = ctx.operations().executeRollback(plan, (h, s, w) -> ctx.out().println(h + ": " + s.words() + " — " + w));
        }
        ctx.out().println(o.summary());
        if (o instanceof HostOutcome.RolledBack rb && !rb.restoredVerified() && rb.restoreDetail().equals(HostOutcome.NOT_VERIFIED)) return ExitCodes.WARNING;
        return o instanceof HostOutcome.RolledBack rb && rb.restoredVerified() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}

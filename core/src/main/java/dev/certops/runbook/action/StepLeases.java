package dev.certops.runbook.action;

import dev.certops.config.CertificateConfig;
import dev.certops.lease.LeaseHeldException;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.HeldLeases;
import dev.certops.operations.UnsettledDeployException;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.services.CoreServices;
import dev.certops.team.ApprovalNeededException;
import dev.certops.team.NotAllowedException;
import java.util.List;

/**
 * The leases a runbook step takes on every certificate it changes (issue, revoke, deploy, rollback),
 * held while the step runs and released when it ends. Taken in name order so two runs never wait on
 * each other crosswise; when another console holds one, or the lease store does not answer, the step
 * fails before its work starts, and nothing was changed. Once the work has run, its result stands: a
 * release that fails is logged and the lease lapses by its time to live.
 */
final class StepLeases {
    private StepLeases() { }

    interface Work<E extends Exception> { StepOutcome run() throws E; }

    /**
     * Runs {@code work} holding a lease on each certificate of the step ({@code with: certificate/certificates}).
     * Exceptions of the work pass through unchanged.
     */
    static <E extends Exception> StepOutcome forStep(CertificateOperations operations, CoreServices session, StepContext ctx, String operation,
                                                     Work<E> work) throws RunbookException, E {
        List<String> certificates = Lookup.certificates(Lookup.config(session), ctx).stream().map(CertificateConfig::id).toList();
        HeldLeases held;
        try {
            held = operations.lease(certificates, operation, ctx.holder(), ctx::log);
        } catch (LeaseHeldException e) {
            return StepOutcome.Failed.of(e.getMessage() + " — nothing was changed by this step",
                    "wait for that work to finish and retry the step, ask its holder, or — if that console is gone — "
                            + "run ./certops lease break " + e.held().subject() + " --reason \"...\" and retry");
        } catch (NotAllowedException e) {
            return StepOutcome.Failed.of(e.getMessage(), e instanceof ApprovalNeededException
                    ? "once a second person has approved, retry the step" : "fix what the message names, then retry the step");
        } catch (UnsettledDeployException e) {
            return StepOutcome.Failed.of(e.getMessage(), "check the hosts by hand (`certops hosts check`), then retry the step");
        } catch (Exception e) {
            throw new RunbookException("the team's lease store did not answer (" + e.getMessage() + "); nothing was changed — "
                    + "check the history database, then retry the step");
        }
        try (held) {
            return work.run();
        }
    }
}

package dev.certops.runbook.action;

import dev.certops.history.HistoryException;
import dev.certops.lease.HeldLease;
import dev.certops.lease.LeaseHeldException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.session.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The leases a runbook step takes on every certificate it changes (issue, revoke, deploy, rollback),
 * held while the step runs and released when it ends. Taken in name order so two runs never wait on
 * each other crosswise; when another console holds one, the step fails naming who holds it, and
 * nothing was changed.
 */
final class StepLeases {
    private StepLeases() { }

    interface Work { StepOutcome run() throws Exception; }

    static StepOutcome holding(Session session, StepContext ctx, Collection<String> certificates, String operation, Work work) throws Exception {
        List<HeldLease> held = new ArrayList<>();
        try {
            for (String id : new TreeSet<>(certificates)) {
                try {
                    held.add(session.leases().acquire(id, operation, ctx.holder()));
                } catch (LeaseHeldException e) {
                    return StepOutcome.Failed.of(e.getMessage() + " — nothing was changed by this step",
                            "wait for that work to finish and retry the step, ask its holder, or — if that console is gone — "
                                    + "run ./certops lease break " + id + " --reason \"...\" and retry");
                }
            }
            return work.run();
        } finally {
            release(held);
        }
    }

    private static void release(List<HeldLease> held) throws HistoryException {
        HistoryException first = null;
        for (HeldLease h : held) {
            try {
                h.close();
            } catch (HistoryException e) {
                if (first == null) first = e;
            } catch (Exception e) {
                if (first == null) first = new HistoryException("could not release the lease on " + h.lease().subject() + ": " + e.getMessage(), e);
            }
        }
        if (first != null) throw first;
    }
}

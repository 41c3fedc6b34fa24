package dev.certops.runbook.action;

import dev.certops.history.HistoryException;
import dev.certops.operations.CertificateOperations;
import dev.certops.runbook.ActionRegistry;
import dev.certops.runbook.DrillConditions;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.services.CoreServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The action registry, engine and catalog over one session, as the CLI and console use them. */
public record RunbookServices(ActionRegistry actions, RunbookEngine engine, RunbookCatalog catalog) {

    private static final Logger LOG = LoggerFactory.getLogger(RunbookServices.class);

    public static RunbookServices of(CoreServices session, CertificateOperations operations) throws HistoryException {
        ActionRegistry actions = RunbookActions.forSession(session, operations);
        RunbookEngine engine = new RunbookEngine(actions, session.history(), session.clock()).whenFinished(run -> reportDrill(session, run))
                .gateGuard(new TwoPersonGates(session));
        return new RunbookServices(actions, engine, new RunbookCatalog(session.workspace(), new RunbookLoader(actions.types())));
    }

    /**
     * A finished drill — from the CLI or the console — alerts when it failed and resolves when a later
     * drill of the runbook succeeds. A broken channel is logged and never changes the run's outcome.
     */
    private static void reportDrill(CoreServices session, RunState run) {
        if (!DrillConditions.reportable(run)) return;
        try {
            var report = session.alerts().report(DrillConditions.scope(run.runbook()), DrillConditions.of(run));
            report.failed().forEach(d -> LOG.warn("alert channel {} failed: {}", d.channel(), d.error()));
        } catch (Exception e) {
            LOG.warn("the drill's outcome was not sent to the alert channels: {}", e.getMessage());
        }
    }
}

package dev.certops.runbook.action;

import dev.certops.history.HistoryException;
import dev.certops.runbook.ActionRegistry;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.session.Session;

/** The action registry, engine and catalog over one session, as the CLI and console use them. */
public record SessionRunbooks(ActionRegistry actions, RunbookEngine engine, RunbookCatalog catalog) {

    public static SessionRunbooks of(Session session) throws HistoryException {
        ActionRegistry actions = RunbookActions.forSession(session);
        return new SessionRunbooks(actions, new RunbookEngine(actions, session.history(), session.clock()),
                new RunbookCatalog(session.workspace(), new RunbookLoader(actions.types())));
    }
}

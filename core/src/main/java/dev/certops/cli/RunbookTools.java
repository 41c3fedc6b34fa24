package dev.certops.cli;

import dev.certops.runbook.ActionRegistry;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.action.RunbookActions;

/** The engine, actions and catalog over the command's session: built once per command. */
record RunbookTools(ActionRegistry actions, RunbookEngine engine, RunbookCatalog catalog) {

    static RunbookTools of(CliContext ctx) throws Exception {
        ActionRegistry actions = RunbookActions.forSession(ctx.session());
        return new RunbookTools(actions, new RunbookEngine(actions, ctx.history(), ctx.clock()),
                new RunbookCatalog(ctx.workspace(), new RunbookLoader(actions.types())));
    }

    /** The runbook/report exceptions as a command failure with the right exit code. */
    static CommandFailedException failed(Exception e, int code) {
        return new CommandFailedException(e.getMessage(), code);
    }
}

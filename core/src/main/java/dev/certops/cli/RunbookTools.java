package dev.certops.cli;

import dev.certops.runbook.ActionRegistry;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;

/** The engine, actions and catalog over the command's session: built once per command. */
record RunbookTools(ActionRegistry actions, RunbookEngine engine, RunbookCatalog catalog) {

    /** The session's runbooks (the same engine the console uses, with its drill-alert hook). */
    static RunbookTools of(CliContext ctx) throws Exception {
        var r = ctx.session().runbooks();
        return new RunbookTools(r.actions(), r.engine(), r.catalog());
    }

    /** The runbook/report exceptions as a command failure with the right exit code. */
    static CommandFailedException failed(Exception e, int code) {
        return new CommandFailedException(e.getMessage(), code);
    }
}

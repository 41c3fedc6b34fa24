package dev.certops.runbook.action;

import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import java.util.Map;

/** {@code note: { text: ... }}: the operator's words go into history with the step. */
final class NoteAction implements RunbookAction {
    @Override public String type() { return "note"; }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        return ActionPreview.readOnly("Record a note in history", ctx.requireArg("text"));
    }

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        String text = ctx.requireArg("text");
        return new StepOutcome.Succeeded("noted: " + text, Map.of("note", text));
    }
}

/**
 * Runbooks: named, ordered steps with guidance, a typed action, a check and a gate, run by the
 * {@link dev.certops.runbook.RunbookEngine} and recorded step by step in history so that a run
 * survives a crash ({@link dev.certops.runbook.RunbookEngine#resume}). Built-ins ship in the jar
 * ({@link dev.certops.runbook.RunbookCatalog}); the actions live in {@code runbook.action} and are
 * built in one place ({@link dev.certops.runbook.action.RunbookActions}). Drills pass every issuance
 * and deployment through {@link dev.certops.runbook.DrillPolicy}.
 */
package dev.certops.runbook;

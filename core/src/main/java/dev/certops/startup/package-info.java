/**
 * Where a command's start-up goes: {@link dev.certops.startup.StartupTrace}, switched on with
 * {@code CERTOPS_TRACE_STARTUP=1} (see docs/decisions/0017). Depends on nothing else in certops, so any
 * package may mark a phase.
 */
package dev.certops.startup;

package dev.certops.team;

/**
 * The actor may not do this now: no signing key, a key not in team/allowed_signers, a missing role,
 * team files changed but not recorded, or a two-person approval still missing. The message says
 * what to add or who must act. Unchecked so it passes unchanged through every path that changes the
 * world (leases, runbook steps, the console's commands).
 */
public class NotAllowedException extends RuntimeException {
    public NotAllowedException(String message) { super(message); }
}

package dev.certops.lease;

import java.time.Instant;

/**
 * A lease on a subject that changes the world (a certificate being deployed, issued, revoked).
 *
 * @param subject   what is leased, e.g. a certificate id
 * @param operation what is being done: deploy, issue, revoke, rollback, runbook
 * @param holder    why, in words: "runbook primary-ca-outage, run 42"
 * @param actor     who: user@machine
 * @param console   which console (instance id) holds it
 * @param since     when it was taken
 * @param expires   when it lapses unless renewed
 */
public record Lease(String subject, String operation, String holder, String actor, String console, Instant since,
                    Instant expires) {

    public boolean expiredAt(Instant now) { return !now.isBefore(expires); }
}

/**
 * Who may do what in a team: {@code team/allowed_signers} (OpenSSH's format plus {@code roles="…"}),
 * the roles each command needs, the two-person rule and its approvals, and the audit of every
 * event's signature against the signers allowed at that moment. Without {@code team/allowed_signers}
 * none of this applies: one operator, recorded as such.
 */
package dev.certops.team;

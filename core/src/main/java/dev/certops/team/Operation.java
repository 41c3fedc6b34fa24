package dev.certops.team;

import java.util.Arrays;
import java.util.Optional;

/** What an actor asks to do, and the role it needs. */
public enum Operation {
    ISSUE("issue", Role.OPERATOR),
    DEPLOY("deploy", Role.OPERATOR),
    ROLLBACK("rollback", Role.OPERATOR),
    RENEW("renew", Role.OPERATOR),
    RUNBOOK("run a runbook", Role.OPERATOR),
    REVOKE("revoke", Role.REVOKER),
    LEASE_BREAK("break a lease", Role.ADMIN),
    RECORD_SIGNERS("record team/allowed_signers", Role.ADMIN),
    APPROVE("approve a two-person request", Role.APPROVER);

    private final String words;
    private final Role role;

    Operation(String words, Role role) {
        this.words = words;
        this.role = role;
    }

    public String words() { return words; }
    public Role role() { return role; }

    /** The operation a lease is taken for ("issue", "deploy", "rollback", "revoke", "renew"). */
    public static Optional<Operation> ofLease(String operation) {
        return Arrays.stream(values()).filter(o -> o.words.equals(operation)).findFirst();
    }
}

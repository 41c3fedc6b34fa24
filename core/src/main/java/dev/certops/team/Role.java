package dev.certops.team;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a signer listed in {@code team/allowed_signers} may do. Roles do not include each other. */
public enum Role {
    /** Reads: estate, budget, history, reports. */
    VIEWER("read the estate, budget, history and reports"),
    /** Issues, deploys, rolls back, renews and runs runbooks. */
    OPERATOR("issue, deploy, roll back, renew and run runbooks"),
    /** Approves the gates the two-person rule marks. */
    APPROVER("approve or refuse another person's two-person request"),
    /** Revokes certificates. */
    REVOKER("revoke certificates"),
    /** Breaks leases and records changes of the allowed signers. */
    ADMIN("break leases and record changes of team/allowed_signers");

    private final String allows;

    Role(String allows) { this.allows = allows; }

    /** As written in allowed_signers: lower case. */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    public String allows() { return allows; }

    public static Optional<Role> of(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id.strip().toLowerCase(Locale.ROOT))).findFirst();
    }
}

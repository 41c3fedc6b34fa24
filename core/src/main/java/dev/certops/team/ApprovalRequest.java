package dev.certops.team;

import java.time.Instant;
import java.util.List;

/**
 * A two-person request: what {@code requester} wants to do (the gate, operation and subjects), why,
 * what it will do (the preview shown at the gate), and until when it may be approved.
 *
 * @param id       the run id for a runbook step, else a request id such as {@code r-4f2a9c}
 * @param step     the step key for a runbook step, else the operation
 * @param subjects the certificates (or leases) it is about
 */
public record ApprovalRequest(long seq, String id, String step, String gate, String operation, List<String> subjects,
                              String requester, String why, String preview, List<String> previewDetails,
                              Instant requestedAt, Instant expiresAt) {
    public ApprovalRequest {
        subjects = List.copyOf(subjects);
        previewDetails = List.copyOf(previewDetails);
    }

    public boolean expiredAt(Instant now) { return !now.isBefore(expiresAt); }

    /** "./certops approve ID STEP". */
    public String approveCommand() { return "./certops approve " + id + " " + step; }
}

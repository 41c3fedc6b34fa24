package dev.certops.team;

/** A two-person gate: the request is recorded (or already waiting) and a second person must approve it. */
public final class ApprovalNeededException extends NotAllowedException {
    private final ApprovalRequest request;

    public ApprovalNeededException(String message, ApprovalRequest request) {
        super(message);
        this.request = request;
    }

    public ApprovalRequest request() { return request; }
}

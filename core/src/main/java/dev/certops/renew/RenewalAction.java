package dev.certops.renew;

/** What a renewal run should do for one certificate. */
public enum RenewalAction {
    /** Issue a new certificate and deploy it by waves. */
    RENEW,
    /** The current release is fine but some hosts serve something else: re-deploy and verify, no issuance. */
    REDEPLOY,
    /** Nothing to do. */
    NONE
}

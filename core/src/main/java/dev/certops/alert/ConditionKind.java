package dev.certops.alert;

/** What an alert is about. One open condition per (kind, subject); see {@link AlertCondition#key()}. */
public enum ConditionKind {
    /** A renewal (issue or deploy) failed. subject: certificate id. */
    RENEWAL_FAILED,
    /** A certificate entered its critical / emergency threshold or expired (the severity says which). subject: certificate id. */
    EXPIRY,
    /** A host serves something else than the current release. subject: certificate id. */
    DIVERGENCE,
    /** A drill run failed. subject: the runbook's name (e.g. quarterly-drill); a later successful drill of it resolves. */
    DRILL_FAILED,
    /** A CA account or registered domain is below its safety line. subject: "CA/domain". */
    BUDGET_LOW,
    /** No renew run has succeeded for staleAfter. subject: "renew". */
    RENEW_STALE,
    /** A renew run's discovery found a certificate served that certops.yaml does not manage (severity rises with its expiry). subject: "unmanaged:NAME@FINGERPRINT". */
    UNMANAGED_CERTIFICATE
}

package dev.certops.history;

/**
 * The event kinds certops records, in one place, so that the features that read history
 * (rate-limit budget, estate "since when", reports, renew) agree with the ones that write it.
 *
 * <p>Details keys are listed with each kind. Instants are ISO-8601 strings, name lists are JSON arrays.
 */
public final class EventKinds {
    private EventKinds() { }

    // --- ACME (details always carry "ca" = CA id, "staging" = boolean, "account" = account URL when known)
    /** An account was registered. details: ca, staging, account. */
    public static final String ACME_ACCOUNT_CREATED = "acme.account.created";
    /** A new order was sent (costs budget). subject: certificate id. details: ca, staging, account, names, orderUrl, replaces (optional ARI cert id), renewal (boolean: same exact name set as a certificate issued before). */
    public static final String ACME_ORDER_CREATED = "acme.order.created";
    /** An interrupted order was re-attached instead of ordering again. details: ca, orderUrl. */
    public static final String ACME_ORDER_REATTACHED = "acme.order.reattached";
    /** An authorization failed validation. details: ca, staging, account, identifier, challenge, detail. */
    public static final String ACME_AUTHZ_FAILED = "acme.authorization.failed";
    /** An authorization became valid. details: ca, staging, account, identifier. */
    public static final String ACME_AUTHZ_VALID = "acme.authorization.valid";
    /** A certificate was issued and stored. details: ca, staging, account, names, serial, notAfter, version, replaces (optional). */
    public static final String ACME_CERT_ISSUED = "acme.certificate.issued";
    /** The CA answered rateLimited. details: ca, staging, account, retryAfter, detail, names. */
    public static final String ACME_RATE_LIMITED = "acme.rate-limited";
    /** One attempt against a CA ended; details: ca, outcome class, decision (retry|wait|failover|stop), reason. */
    public static final String ACME_ATTEMPT = "acme.attempt";
    /** Issuance moved to the next CA. details: from, to, reason. */
    public static final String ACME_FAILOVER = "acme.failover";
    /**
     * Write-ahead: an ACME step that changes the world is about to be sent. outcome "intent". details: step
     * (order|finalize|revoke), ca, staging, and names (order, finalize) or serial (revoke).
     */
    public static final String ACME_INTENT = "acme.intent";
    /** A certificate was revoked. details: ca, serial, reason. */
    public static final String ACME_REVOKED = "acme.certificate.revoked";

    // --- rate limits
    /** An issuance made by another tool, imported so the budget sees it. details: ca, names, time. */
    public static final String RATELIMIT_IMPORTED = "ratelimit.issuance.imported";

    // --- estate scan
    /** A scan finished. details: summary counts by status, duration. */
    public static final String SCAN_FINISHED = "scan.finished";
    /** A certificate's or endpoint's status changed since the previous scan. subject: certificate id or endpoint. details: from, to, reason. */
    public static final String SCAN_STATUS_CHANGED = "scan.status.changed";

    // --- discovery and import
    /** A discovery finished. subject: "estate". outcome ok | unmanaged. details: probed, answered, unreachable, certificates, managed,
     * unmanaged (counts), durationMs, unmanagedCertificates (at most 500: fingerprint, names, issuer, serial, notBefore, notAfter, servedAt). */
    public static final String DISCOVER_FINISHED = "discover.finished";
    /** Certificate versions brought in from another tool. subject: certificate id. details: source (certbot|acme.sh|pem), version, serial, notAfter, from. */
    public static final String IMPORT_VERSION = "import.version";
    /**
     * A certificate certops no longer manages was retired on purpose (`certops estate retire`): its history is closed and
     * it stops being reported as unmanaged, until a version is issued for that id again. subject: certificate id.
     * details: reason, versions (the highest stored version number when retired, 0 when none).
     */
    public static final String CERTIFICATE_RETIRED = "certificate.retired";

    // --- deploy
    /**
     * Write-ahead: a step is about to change a host (upload, swap, reload, rollback), recorded before it runs.
     * outcome "intent". subject: certificate id. details: host, step, release, detail. A swap intent without a
     * later deploy.host.finished / deploy.rollback / deploy.recovered for that host and release is an unfinished
     * deploy (a killed process): the next command on the certificate checks the host first.
     */
    public static final String DEPLOY_INTENT = "deploy.intent";
    /** An unfinished deploy found from its write-ahead record was settled. details: host, release, action (verified|rolled-back|none), detail. */
    public static final String DEPLOY_RECOVERED = "deploy.recovered";
    /** A deploy was interrupted (SIGTERM) and stopped after settling the current host. details: host, release, signal. */
    public static final String DEPLOY_INTERRUPTED = "deploy.interrupted";
    /** The deploy gate was overridden (--force --reason). outcome "forced". details: operation (deploy|rollback), target, reason, problems. */
    public static final String DEPLOY_FORCED = "deploy.forced";
    /** One step of a deployment on one host. subject: certificate id. details: host, step, release, outcome detail. */
    public static final String DEPLOY_STEP = "deploy.step";
    /** A deployment to one host finished. details: host, release, serial, verified, rolledBack. */
    public static final String DEPLOY_HOST_FINISHED = "deploy.host.finished";
    /** A rollout (all waves) finished. details: waves, hosts, failedHost. */
    public static final String DEPLOY_FINISHED = "deploy.finished";
    /** A rollback on one host. details: host, from, to, verified. */
    public static final String DEPLOY_ROLLBACK = "deploy.rollback";

    // --- renew
    /** A renew run started (the heartbeat). subject: "renew". details: pid, due (count), dryRun. */
    public static final String RENEW_RUN_STARTED = "renew.run.started";
    /** A renew run ended. subject: "renew". details: renewed, redeployed, failed, skipped (counts), exit (code). */
    public static final String RENEW_RUN_FINISHED = "renew.run.finished";
    /** The planner's decision for one certificate. subject: certificate id. details: action, reason, dueAt. */
    public static final String RENEW_DECIDED = "renew.decided";
    /** A certificate was renewed and deployed. subject: certificate id. details: ca, serial, notAfter, version. */
    public static final String RENEW_SUCCEEDED = "renew.succeeded";
    /** A renewal failed. subject: certificate id. details: stage (issue|deploy), reason, failures (consecutive), nextAttempt. */
    public static final String RENEW_FAILED = "renew.failed";
    /** A due certificate was skipped because its backoff has not elapsed. subject: certificate id. details: nextAttempt. */
    public static final String RENEW_BACKED_OFF = "renew.backed-off";

    // --- alerts (dev.certops.alert): subject = the condition's subject (a certificate id, "renew", "CA/domain").
    // details never carry a URL, routing key or password: only the channel id and type.
    /** A condition was delivered to a channel. details: channel, type, key, kind, severity, reason (new|escalated|repeat), summary, attempts. */
    public static final String ALERT_TRIGGERED = "alert.triggered";
    /** A condition that cleared was resolved on a channel (sent once). details: channel, type, key, kind, severity (the last sent), attempts. */
    public static final String ALERT_RESOLVED = "alert.resolved";
    /** A delivery failed after its retries. outcome failed. details: channel, type, key, action (trigger|resolve|test), error, hint, attempts. */
    public static final String ALERT_DELIVERY_FAILED = "alert.delivery.failed";
    /** A test message (`certops alerts test`) was delivered. subject: the channel id. details: channel, type, attempts. */
    public static final String ALERT_TEST = "alert.test";

    // --- runbooks
    public static final String RUNBOOK_STARTED = "runbook.started";
    public static final String RUNBOOK_STEP = "runbook.step";
    public static final String RUNBOOK_FINISHED = "runbook.finished";
    public static final String RUNBOOK_NOTE = "runbook.note";

    // --- team mode (dev.certops.lease): subject = the leased subject (a certificate id)
    /** A lease was taken. details: operation, holder, console, expires. */
    public static final String LEASE_ACQUIRED = "lease.acquired";
    /** A lease was given back at the end of the work. details: operation, holder, console. */
    public static final String LEASE_RELEASED = "lease.released";
    /** An expired lease (its holder stopped renewing) was taken over. details: previousActor, previousHolder, operation, expiredAt, why (not renewed in time, or its console process on this same machine has ended). */
    public static final String LEASE_EXPIRED = "lease.expired";
    /** A lease was broken by hand. details: reason, previousActor, previousHolder, operation. */
    public static final String LEASE_BROKEN = "lease.broken";

    // --- workspace
    public static final String WORKSPACE_CREATED = "workspace.created";
}

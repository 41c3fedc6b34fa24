package dev.certops.deploy;

import java.util.Locale;

/** Where one host is in a deployment, as the Deployments screen and runbooks show it. */
public enum HostState {
    WAITING, CONNECTING, UPLOADING, SWAPPING, TESTING, RELOADING, VERIFYING, VERIFIED,
    /** Deployed, tested and reloaded, but no endpoint of the certificate is served by this host: nothing proved it (a warning). */
    UNVERIFIED,
    ROLLING_BACK, ROLLED_BACK, FAILED, SKIPPED;

    /** As people read it: "rolling back", "verified". */
    public String words() { return name().toLowerCase(Locale.ROOT).replace('_', ' '); }

    public boolean isFinal() { return this == VERIFIED || this == UNVERIFIED || this == ROLLED_BACK || this == FAILED || this == SKIPPED; }
}

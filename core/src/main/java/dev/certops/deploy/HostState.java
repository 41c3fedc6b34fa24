package dev.certops.deploy;

/** Where one host is in a deployment, as the Deployments screen and runbooks show it. */
public enum HostState {
    WAITING, CONNECTING, UPLOADING, SWAPPING, TESTING, RELOADING, VERIFYING, VERIFIED, ROLLING_BACK, ROLLED_BACK, FAILED, SKIPPED;

    public boolean isFinal() { return this == VERIFIED || this == ROLLED_BACK || this == FAILED || this == SKIPPED; }
}

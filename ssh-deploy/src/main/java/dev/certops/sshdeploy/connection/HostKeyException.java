package dev.certops.sshdeploy.connection;

import dev.certops.deploy.DeployException;

/** The host's key is not in known_hosts, or differs from the one there. Raised before anything is sent. */
public final class HostKeyException extends DeployException {
    private static final long serialVersionUID = 1L;

    public enum Kind { UNKNOWN, CHANGED }

    private final Kind kind;
    private final String fingerprint;

    HostKeyException(String hostId, Kind kind, String fingerprint, String message, String nextStep) {
        super(hostId, "host-key", message, nextStep);
        this.kind = kind;
        this.fingerprint = fingerprint;
    }

    public Kind kind() { return kind; }

    /** "SHA256:..." as OpenSSH prints it. */
    public String fingerprint() { return fingerprint; }
}

package dev.certops.deploy;

import dev.certops.config.HostConfig;

/**
 * Host-key trust, offered by connectors that check host keys (SSH). {@code certops hosts trust}
 * shows {@link #scan}'s fingerprint, asks the operator, and only then calls {@link #trust}.
 */
public interface HostKeys {

    /** The key the host presents now, read without trusting it or logging in. */
    HostKeyInfo scan(HostConfig host) throws DeployException;

    /** Appends the key to the host's known_hosts file. Refuses when a different key is already listed. */
    void trust(HostConfig host, HostKeyInfo key) throws DeployException;

    /** What the host's known_hosts file says about a presented key. */
    enum Listed {
        /** Not listed: trust adds it once the operator compared its fingerprint. */
        NOT_LISTED,
        /** Listed as this very key: already trusted, nothing to add. */
        TRUSTED,
        /** A different key is listed for this host: trust refuses it; connections are refused too. */
        CHANGED
    }

    /**
     * @param knownHostsName "host" or "[host]:port"
     * @param type           "ssh-ed25519", ...
     * @param fingerprint    "SHA256:..." as ssh-keygen -lf prints it
     * @param knownHostsLine the line that trust appends
     * @param listed         what the host's known_hosts file says about this key when it was read
     * @param knownHostsFile that file (empty when not known)
     */
    record HostKeyInfo(String knownHostsName, String type, String fingerprint, String knownHostsLine, Listed listed, String knownHostsFile) {
        /** A key read without looking at known_hosts. */
        public HostKeyInfo(String knownHostsName, String type, String fingerprint, String knownHostsLine) {
            this(knownHostsName, type, fingerprint, knownHostsLine, Listed.NOT_LISTED, "");
        }
    }
}

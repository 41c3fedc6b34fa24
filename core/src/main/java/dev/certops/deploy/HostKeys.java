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

    /**
     * @param knownHostsName "host" or "[host]:port"
     * @param type           "ssh-ed25519", ...
     * @param fingerprint    "SHA256:..." as ssh-keygen -lf prints it
     * @param knownHostsLine the line that trust appends
     */
    record HostKeyInfo(String knownHostsName, String type, String fingerprint, String knownHostsLine) { }
}

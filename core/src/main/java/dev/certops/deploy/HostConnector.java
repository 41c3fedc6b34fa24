package dev.certops.deploy;

import dev.certops.config.HostConfig;

/**
 * Opens {@link HostChannel}s. Implementations are found with {@link java.util.ServiceLoader}
 * (ssh-deploy registers one in META-INF/services); {@link HostConnectors} picks the one that
 * supports a host entry.
 */
public interface HostConnector {

    /** True when this connector handles the host (SSH: a network address; local: "local"). */
    boolean supports(HostConfig host);

    /** Connects. Fails with a {@link DeployException} that says what is wrong and what to do. */
    HostChannel open(HostConfig host) throws DeployException;
}

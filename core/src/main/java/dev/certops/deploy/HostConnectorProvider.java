package dev.certops.deploy;

import dev.certops.config.Workspace;

/** Service interface (META-INF/services) through which ssh-deploy plugs its connector into core. */
public interface HostConnectorProvider {
    HostConnector create(Workspace workspace);
}

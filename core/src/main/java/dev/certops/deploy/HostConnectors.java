package dev.certops.deploy;

import dev.certops.config.HostConfig;
import dev.certops.config.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Picks the connector for a host: {@link LocalHostConnector} for {@code address: local}, else the
 * first {@link HostConnectorProvider} found on the class path that supports it (ssh-deploy).
 */
public final class HostConnectors {
    private final List<HostConnector> connectors;

    public HostConnectors(List<HostConnector> connectors) {
        this.connectors = List.copyOf(connectors);
    }

    /** The local connector plus every provider registered in META-INF/services. */
    public static HostConnectors discover(Workspace workspace) {
        List<HostConnector> list = new ArrayList<>();
        list.add(new LocalHostConnector());
        for (HostConnectorProvider p : ServiceLoader.load(HostConnectorProvider.class)) list.add(p.create(workspace));
        return new HostConnectors(list);
    }

    public HostConnector forHost(HostConfig host) throws DeployException {
        for (HostConnector c : connectors) {
            if (c.supports(host)) return c;
        }
        throw new DeployException(host.id(), "connect", "no connector can reach address '" + host.address() + "'",
                "the SSH deployer (certops-ssh-deploy) is missing from the installation; reinstall certops");
    }

    /** Host-key trust for this host's connector, when it checks host keys (SSH does; local does not). */
    public Optional<HostKeys> hostKeys(HostConfig host) throws DeployException {
        return forHost(host) instanceof HostKeys k ? Optional.of(k) : Optional.empty();
    }

    /** A connection as the host entry says: through sudo for {@code sudo: true}. */
    public HostChannel open(HostConfig host) throws DeployException {
        HostChannel ch = forHost(host).open(host);
        return host.sudo() ? new SudoChannel(ch, host) : ch;
    }
}

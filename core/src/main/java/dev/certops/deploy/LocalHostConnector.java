package dev.certops.deploy;

import dev.certops.config.HostConfig;

/** Connects to the console's own machine ({@code address: local}): files directly, commands without SSH. */
public final class LocalHostConnector implements HostConnector {
    @Override
    public boolean supports(HostConfig host) { return host.isLocal(); }

    @Override
    public HostChannel open(HostConfig host) { return new LocalHostChannel(host.id()); }
}

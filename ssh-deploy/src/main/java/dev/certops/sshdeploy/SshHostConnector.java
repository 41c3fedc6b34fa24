package dev.certops.sshdeploy;

import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.HostConnector;
import dev.certops.sshdeploy.session.SshSessions;

/** Connects to every host entry that is not {@code address: local}, over SSH. */
public final class SshHostConnector implements HostConnector {
    private final SshSessions sessions;

    public SshHostConnector(SshSessions sessions) { this.sessions = sessions; }

    @Override
    public boolean supports(HostConfig host) { return !host.isLocal(); }

    @Override
    public HostChannel open(HostConfig host) throws DeployException {
        return new SshHostChannel(sessions.connect(host));
    }

    public SshSessions sessions() { return sessions; }
}

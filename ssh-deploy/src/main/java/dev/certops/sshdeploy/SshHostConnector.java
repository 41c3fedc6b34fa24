package dev.certops.sshdeploy;

import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.HostConnector;
import dev.certops.deploy.HostKeys;
import dev.certops.sshdeploy.connection.KnownHostsFile;
import dev.certops.sshdeploy.connection.PresentedKey;
import dev.certops.sshdeploy.connection.SshSessions;
import java.nio.file.Path;
import java.util.Base64;

/** Connects to every host entry that is not {@code address: local}, over SSH; offers host-key trust. */
public final class SshHostConnector implements HostConnector, HostKeys {
    private final SshSessions sessions;

    public SshHostConnector(SshSessions sessions) { this.sessions = sessions; }

    @Override
    public boolean supports(HostConfig host) { return !host.isLocal(); }

    @Override
    public HostChannel open(HostConfig host) throws DeployException {
        return new SshHostChannel(sessions.connect(host));
    }

    @Override
    public HostKeyInfo scan(HostConfig host) throws DeployException {
        PresentedKey k = sessions.scanHostKey(host);
        Path file = sessions.knownHostsPath(host);
        return new HostKeyInfo(k.knownHostsName(), k.type(), k.fingerprint(), k.knownHostsLine(), KnownHostsFile.listed(file, k), file.toString());
    }

    @Override
    public void trust(HostConfig host, HostKeyInfo key) throws DeployException {
        String[] parts = key.knownHostsLine().split(" ");
        PresentedKey k = new PresentedKey(key.knownHostsName(), Base64.getDecoder().decode(parts[parts.length - 1]));
        if (!k.fingerprint().equals(key.fingerprint())) throw new IllegalArgumentException("key line and fingerprint disagree");
        KnownHostsFile.append(host.id(), sessions.knownHostsPath(host), k);
    }
}

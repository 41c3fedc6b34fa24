package dev.certops.sshdeploy;

import dev.certops.config.ConfigException;
import dev.certops.config.HostConfig;
import dev.certops.config.Workspace;
import dev.certops.deploy.HostConnector;
import dev.certops.deploy.HostConnectorProvider;
import dev.certops.sshdeploy.connection.SshOptions;
import dev.certops.sshdeploy.connection.SshSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Registered in META-INF/services: plugs SSH into core's {@link dev.certops.deploy.HostConnectors}. */
public final class SshHostConnectorProvider implements HostConnectorProvider {
    @Override
    public HostConnector create(Workspace workspace) {
        return new SshHostConnector(new SshSessions(workspace, SshOptions.defaults(f -> storedPassphrase(workspace, f)),
                id -> jumpHost(workspace, id)));
    }

    /** secrets/&lt;identity file name&gt;.passphrase, when present. */
    static Optional<char[]> storedPassphrase(Workspace ws, Path identity) {
        Path p = ws.secretsDir().resolve(identity.getFileName() + ".passphrase");
        try {
            return Files.isRegularFile(p) ? Optional.of(Files.readString(p).strip().toCharArray()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<HostConfig> jumpHost(Workspace ws, String id) {
        try {
            return ws.loadConfig().host(id);
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }
}

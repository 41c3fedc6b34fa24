package dev.certops.sshdeploy.connection;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import dev.certops.config.HostConfig;
import dev.certops.config.SafeNames;
import dev.certops.config.Workspace;
import dev.certops.deploy.DeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Completes a host entry from the OpenSSH client config a team already keeps ({@code sshConfig:}
 * on the entry, else ~/.ssh/config): the Host alias's HostName, Port, User, IdentityFile and
 * ProxyJump chain (parsed by JSch's OpenSSHConfig). What certops.yaml gives for the entry wins.
 * A ProxyJump hop becomes a host entry of its own ({@code ID~jump~HOP}), reached the same way,
 * checked against the same known_hosts.
 */
final class OpenSshConfig {
    private final Workspace workspace;
    private final Map<String, HostConfig> hops = new ConcurrentHashMap<>();

    OpenSshConfig(Workspace workspace) { this.workspace = workspace; }

    /** A ProxyJump hop created by {@link #resolve}, by its id. */
    Optional<HostConfig> hop(String id) { return Optional.ofNullable(hops.get(id)); }

    HostConfig resolve(HostConfig host) throws DeployException {
        Optional<Path> file = file(host);
        if (file.isEmpty()) return host;
        ConfigRepository repo;
        try {
            repo = OpenSSHConfig.parseFile(file.get().toString());
        } catch (IOException e) {
            throw new DeployException(host.id(), "connect", "the OpenSSH config " + file.get() + " cannot be read: " + e.getMessage(), "fix the file or sshConfig: for this host");
        }
        return resolve(host, repo, file.get());
    }

    private HostConfig resolve(HostConfig host, ConfigRepository repo, Path file) throws DeployException {
        ConfigRepository.Config c = repo.getConfig(host.address());
        String address = c.getHostname() != null ? c.getHostname() : host.address();
        int port = !host.given().contains("port") && c.getPort() > 0 ? c.getPort() : host.port();
        String user = !host.given().contains("user") && c.getUser() != null ? c.getUser() : host.user();
        Optional<String> identity = host.identity();
        String[] ids = c.getValues("IdentityFile");
        if (!host.given().contains("identity") && ids != null && ids.length > 0) identity = Optional.of(expand(ids[0]));
        Optional<String> jump = host.jump();
        String proxyJump = c.getValue("ProxyJump");
        if (jump.isEmpty() && proxyJump != null && !proxyJump.equalsIgnoreCase("none")) {
            String previous = null;
            for (String hop : proxyJump.split(",")) {
                HostConfig h = hop(host, hop.strip(), previous, repo, file);
                hops.put(h.id(), h);
                previous = h.id();
            }
            jump = Optional.of(previous);
        }
        for (String v : List.of(address, user)) {
            if (SafeNames.addressProblem(address).isPresent() || !user.matches("[a-z_][a-z0-9_.-]{0,31}")) {
                throw new DeployException(host.id(), "connect", "the OpenSSH config " + file + " gives '" + SafeNames.printable(v) + "' for " + host.address()
                        + ", which certops does not accept as a host name or user", "fix the Host block, or give address:/user: in certops.yaml");
            }
        }
        return host.resolvedTo(address, port, user, identity, jump);
    }

    /** One ProxyJump hop: [user@]host[:port], itself an alias or a plain address; {@code via} is the hop before it. */
    private HostConfig hop(HostConfig target, String spec, String via, ConfigRepository repo, Path file) throws DeployException {
        String user = null;
        String rest = spec;
        int at = rest.indexOf('@');
        if (at >= 0) { user = rest.substring(0, at); rest = rest.substring(at + 1); }
        int port = -1;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && rest.substring(colon + 1).matches("\\d{1,5}")) { port = Integer.parseInt(rest.substring(colon + 1)); rest = rest.substring(0, colon); }
        Set<String> given = new HashSet<>();
        if (user != null) given.add("user");
        if (port > 0) given.add("port");
        String id = target.id() + "~jump~" + rest;
        HostConfig h = new HostConfig(id, false, rest, port > 0 ? port : 22, user != null ? user : target.user(), Optional.empty(), target.knownHosts(),
                Optional.ofNullable(via), "custom", Optional.of("true"), Optional.of("true"), "/", Optional.empty(), 2, Optional.empty(), false,
                target.sshConfig(), given);
        ConfigRepository.Config c = repo.getConfig(rest);
        HostConfig resolved = resolve(h, repo, file);
        if (resolved.identity().isEmpty() && c.getValues("IdentityFile") == null) {
            resolved = resolved.resolvedTo(resolved.address(), resolved.port(), resolved.user(), target.identity(), resolved.jump());
        }
        return resolved;
    }

    private Optional<Path> file(HostConfig host) {
        if (host.sshConfig().isPresent()) return Optional.of(workspace.resolve(host.sshConfig().get()));
        if (host.given().containsAll(HostConfig.ALL_GIVEN)) return Optional.empty();
        Path home = Path.of(System.getProperty("user.home"), ".ssh", "config");
        return Files.isRegularFile(home) ? Optional.of(home) : Optional.empty();
    }

    private static String expand(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }
}

package dev.certops.sshdeploy.connection;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import dev.certops.config.HostConfig;
import dev.certops.config.Workspace;
import dev.certops.deploy.DeployException;
import dev.certops.words.Causes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opens SSH sessions: strict host-key checking against the host's known_hosts, always; identity
 * file or agent; an optional jump host (itself checked strictly); connect timeout and keep-alives.
 */
public final class SshSessions {
    private final Workspace workspace;
    private final SshOptions options;
    private final Function<String, Optional<HostConfig>> hosts;

    /** {@code hosts} resolves a {@code jump:} id to its host entry. */
    public SshSessions(Workspace workspace, SshOptions options, Function<String, Optional<HostConfig>> hosts) {
        this.workspace = workspace;
        this.options = options;
        this.openSsh = new OpenSshConfig(workspace);
        this.hosts = id -> openSsh.hop(id).or(() -> hosts.apply(id));
    }

    private final OpenSshConfig openSsh;

    /** Connections (host entries at work) one SSH session carries at once: each uses up to two SSH channels, and sshd allows 10 per session by default (MaxSessions). */
    public static final int CONNECTIONS_PER_SESSION = 4;
    /** Sessions one address gets at most; further host entries of that address wait for a free connection. */
    public static final int SESSIONS_PER_ADDRESS = 3;
    private final Map<String, Shared> shared = new HashMap<>();

    /** The sessions to one address (and user, identity, jump), shared by every host entry that reaches it. */
    private static final class Shared {
        final Semaphore permits = new Semaphore(CONNECTIONS_PER_SESSION * SESSIONS_PER_ADDRESS, true);
        final List<Slot> slots = new ArrayList<>();
    }

    private static final class Slot {
        SshConnection connection;
        int users;
    }

    /**
     * A connected, authenticated session (and the jump session it runs through, if any). Host entries
     * of one address share its session: a scan, a hosts check or a deploy to many certificates or host
     * entries of one machine makes one SSH handshake, not one each (dozens at once trip sshd's
     * MaxStartups). A session carries {@value #CONNECTIONS_PER_SESSION} connections at once; when more
     * host entries of the address are at work a second or third session is opened, never more: the rest
     * wait. A session is closed when its last connection closes.
     */
    public SshConnection connect(HostConfig host) throws DeployException {
        Shared s;
        synchronized (shared) {
            s = shared.computeIfAbsent(sessionKey(host) + "|" + host.sshConfig().orElse(""), k -> new Shared());
        }
        try {
            s.permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(host.id(), "connect", "interrupted while waiting for a connection to " + host.address(), null);
        }
        try {
            synchronized (s) {
                s.slots.removeIf(x -> x.users == 0 && !x.connection.isConnected());
                Slot slot = s.slots.stream().filter(x -> x.users < CONNECTIONS_PER_SESSION && x.connection.isConnected()).findFirst().orElse(null);
                if (slot == null) {
                    slot = new Slot();
                    slot.connection = connect(host, false).connection();
                    s.slots.add(slot);
                }
                slot.users++;
                Slot mine = slot;
                SshConnection base = slot.connection;
                AtomicBoolean closed = new AtomicBoolean();
                return new SshConnection(host.id(), base.session(), base.jump(), () -> {
                    if (closed.compareAndSet(false, true)) release(s, mine);
                });
            }
        } catch (DeployException | RuntimeException e) {
            s.permits.release();
            throw e;
        }
    }

    private static void release(Shared s, Slot slot) {
        synchronized (s) {
            if (--slot.users == 0) {
                slot.connection.close();
                s.slots.remove(slot);
            }
        }
        s.permits.release();
    }

    /** Host entries with the same key reach the same machine as the same user the same way. */
    static String sessionKey(HostConfig host) {
        return host.user() + "@" + host.address() + ":" + host.port() + "|" + host.identity().orElse("") + "|" + host.jump().orElse("") + "|" + host.knownHosts().orElse("");
    }

    /**
     * Reads the key the host presents without trusting or authenticating, for {@code hosts trust}.
     * A jump host on the way must already be trusted.
     */
    public PresentedKey scanHostKey(HostConfig host) throws DeployException {
        Attempt a = connect(host, true);
        if (a.connection() != null) a.connection().close();
        if (a.recorder().presented() == null) {
            throw new DeployException(host.id(), "host-key", "the host presented no key", "check that " + host.address() + ":" + host.port() + " is an SSH server");
        }
        return a.recorder().presented();
    }

    private record Attempt(SshConnection connection, RecordingHostKeys recorder) { }

    private Attempt connect(HostConfig entry, boolean scanOnly) throws DeployException {
        HostConfig host = openSsh.resolve(entry);
        Session jumpSession = null;
        String address = host.address();
        int port = host.port();
        if (host.jump().isPresent()) {
            HostConfig jump = hosts.apply(host.jump().get()).orElseThrow(() -> new DeployException(host.id(), "connect",
                    "jump host '" + host.jump().get() + "' is not a host entry", "add it under hosts: in certops.yaml"));
            jumpSession = connect(jump, false).connection().session();
            try {
                port = jumpSession.setPortForwardingL("127.0.0.1", 0, host.address(), host.port());
                address = "127.0.0.1";
            } catch (JSchException e) {
                jumpSession.disconnect();
                throw new DeployException(host.id(), "connect", "jump host " + jump.id() + " cannot reach " + host.address() + ":" + host.port() + ": " + e.getMessage(), "check that the jump host may open connections to it");
            }
        }
        JSch jsch = new JSch();
        RecordingHostKeys recorder;
        Session session;
        try {
            recorder = new RecordingHostKeys(knownHosts(jsch, host), scanOnly);
            jsch.setHostKeyRepository(recorder);
            if (!scanOnly) identities(jsch, host);
            session = jsch.getSession(host.user(), address, port);
            if (jumpSession != null) session.setHostKeyAlias(PresentedKey.knownHostsName(host.address(), host.port()));
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setServerAliveInterval((int) options.keepAlive().toMillis());
            session.setServerAliveCountMax(3);
        } catch (JSchException e) {
            if (jumpSession != null) jumpSession.disconnect();
            throw new DeployException(host.id(), "connect", "cannot prepare the SSH connection: " + e.getMessage(), "check identity: and knownHosts: for this host");
        } catch (DeployException e) {
            if (jumpSession != null) jumpSession.disconnect();
            throw e;
        }
        try {
            session.connect((int) options.connectTimeout().toMillis());
            return new Attempt(new SshConnection(host.id(), session, jumpSession), recorder);
        } catch (JSchException e) {
            session.disconnect();
            if (jumpSession != null) jumpSession.disconnect();
            if (scanOnly && recorder.presented() != null) return new Attempt(null, recorder);
            throw translate(host, e, recorder);
        }
    }

    private DeployException translate(HostConfig host, JSchException e, RecordingHostKeys recorder) {
        PresentedKey key = recorder.presented();
        String kh = knownHostsPath(host).toString();
        if (e instanceof JSchChangedHostKeyException || recorder.result() == HostKeyRepository.CHANGED && key != null) {
            return new HostKeyException(host.id(), HostKeyException.Kind.CHANGED, key == null ? "" : key.fingerprint(),
                    "HOST KEY CHANGED — " + (key == null ? host.address() : key.knownHostsName()) + " now presents " + (key == null ? "a different key" : key.type() + " " + key.fingerprint())
                            + ", which differs from the key in " + kh + ". Refused; nothing was sent. This can be an attack (someone in the middle) or a reinstalled host",
                    "confirm the new key with the host's administrator; if it is expected, delete the old line from " + kh + " and run ./certops hosts trust " + host.id());
        }
        if (e instanceof JSchUnknownHostKeyException || key != null && recorder.result() == HostKeyRepository.NOT_INCLUDED && e.getMessage() != null && e.getMessage().contains("UnknownHostKey")) {
            return new HostKeyException(host.id(), HostKeyException.Kind.UNKNOWN, key == null ? "" : key.fingerprint(),
                    "unknown host key: " + (key == null ? host.address() : key.knownHostsName() + " presents " + key.type() + " " + key.fingerprint()) + ", which is not in " + kh + ". Refused; nothing was sent",
                    "compare it with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on the host, then accept it with ./certops hosts trust " + host.id());
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Auth fail") || msg.contains("USERAUTH")) {
            return new DeployException(host.id(), "connect", "authentication as " + host.user() + " failed",
                    "check identity: for this host and that its public key is in ~" + host.user() + "/.ssh/authorized_keys on the host");
        }
        // in words ("connection refused", "connection timed out"), not JSch's "java.net.ConnectException: …"
        return new DeployException(host.id(), "connect", "cannot connect to " + host.address() + ":" + host.port() + ": " + Causes.of(e),
                "check that the host is up and sshd listens on port " + host.port(), false, e);
    }

    private HostKeyRepository knownHosts(JSch jsch, HostConfig host) throws JSchException {
        Path kh = knownHostsPath(host);
        if (Files.isRegularFile(kh)) jsch.setKnownHosts(kh.toString());
        return jsch.getHostKeyRepository();
    }

    public Path knownHostsPath(HostConfig host) {
        return workspace.resolve(host.knownHosts().orElse("ssh/known_hosts"));
    }

    private void identities(JSch jsch, HostConfig host) throws JSchException, DeployException {
        String identity = host.identity().orElse(null);
        if ("agent".equals(identity)) {
            try {
                jsch.setIdentityRepository(new AgentIdentityRepository(new SSHAgentConnector()));
            } catch (AgentProxyException e) {
                throw new DeployException(host.id(), "connect", "identity: agent, but no SSH agent is reachable (" + e.getMessage() + ")",
                        "start ssh-agent and set SSH_AUTH_SOCK, or give an identity file");
            }
            return;
        }
        List<Path> files = identity != null ? List.of(workspace.resolve(identity))
                : List.of("id_ed25519", "id_ecdsa", "id_rsa").stream().map(n -> Path.of(System.getProperty("user.home"), ".ssh", n)).filter(Files::isRegularFile).toList();
        if (identity != null && !Files.isReadable(files.get(0))) {
            throw new DeployException(host.id(), "connect", "identity file " + files.get(0) + " does not exist or cannot be read", "fix identity: for this host");
        }
        for (Path f : files) {
            KeyPair kp = KeyPair.load(jsch, f.toString());
            boolean encrypted = kp.isEncrypted();
            kp.dispose();
            if (!encrypted) {
                jsch.addIdentity(f.toString());
                continue;
            }
            char[] pass = options.passphrases().apply(f).orElseThrow(() -> new DeployException(host.id(), "connect",
                    "identity file " + f + " is passphrase-protected and no passphrase was given",
                    "run from a terminal to be asked, store it as secrets/" + f.getFileName() + ".passphrase, or use identity: agent"));
            byte[] bytes = new String(pass).getBytes(StandardCharsets.UTF_8);
            try {
                jsch.addIdentity(f.toString(), bytes);
            } catch (JSchException e) {
                throw new DeployException(host.id(), "connect", "the passphrase for " + f + " is wrong", "check the stored or typed passphrase");
            } finally {
                Arrays.fill(bytes, (byte) 0);
                Arrays.fill(pass, '\0');
            }
        }
    }
}

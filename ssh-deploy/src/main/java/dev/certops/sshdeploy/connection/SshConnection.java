package dev.certops.sshdeploy.connection;

import com.jcraft.jsch.Session;

/**
 * An open session to one host (and its jump session), reused for every step of one deployment.
 * A connection handed out by {@link SshSessions#connect} may share its session with other host
 * entries of the same address: {@link #close()} then gives it back instead of disconnecting.
 */
public record SshConnection(String hostId, Session session, Session jump, Runnable closer) implements AutoCloseable {
    /** A connection of its own: closing it disconnects the session and its jump session. */
    public SshConnection(String hostId, Session session, Session jump) {
        this(hostId, session, jump, () -> {
            session.disconnect();
            if (jump != null) jump.disconnect();
        });
    }

    public boolean isConnected() { return session.isConnected(); }

    @Override
    public void close() { closer.run(); }
}

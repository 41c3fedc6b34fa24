package dev.certops.sshdeploy.session;

import com.jcraft.jsch.Session;

/** An open session to one host (and its jump session), reused for every step of one deployment. */
public record SshConnection(String hostId, Session session, Session jump) implements AutoCloseable {
    public boolean isConnected() { return session.isConnected(); }

    @Override
    public void close() {
        session.disconnect();
        if (jump != null) jump.disconnect();
    }
}

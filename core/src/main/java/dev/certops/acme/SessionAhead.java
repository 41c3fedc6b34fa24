package dev.certops.acme;

import dev.certops.config.Workspace;
import dev.certops.startup.StartupTrace;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Connection;
import org.shredzone.acme4j.connector.NonceHolder;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * A CA session opened, and its directory read (the TLS handshake, the first round trip), on a thread of its own
 * while the command checks the rate-limit budget — or earlier, from the moment its plan is known, before the lease is
 * taken ({@link SessionsAhead}) — so they overlap (docs/decisions/0017). Reading a directory
 * changes nothing at the CA; when the budget refuses, the session is dropped unused. The first attempt takes it,
 * with the failure it met if it met one (the same exception the attempt would have met itself, classified the same
 * way: a CA that is down is found once, not twice); a retry opens its own.
 */
final class SessionAhead {
    private final FutureTask<Session> task;
    private boolean taken;

    private SessionAhead(FutureTask<Session> task) { this.task = task; }

    /** Nothing opened ahead: each attempt opens its session itself. */
    static SessionAhead none() { return new SessionAhead(null); }

    static SessionAhead open(CaEndpoint ca, Workspace workspace) {
        return open(SessionKey.of(ca, workspace));
    }

    static SessionAhead open(SessionKey key) {
        FutureTask<Session> task = new FutureTask<>(() -> {
            try (StartupTrace.Phase p = StartupTrace.phase("ACME: TLS to the CA, directory read")) {
                Session s = AcmeSessions.open(key);
                s.getMetadata(); // reads the directory
                prefetchNonce(s);
                return s;
            }
        });
        Thread t = new Thread(task, "certops-ca-session");
        t.setDaemon(true);
        t.start();
        return new SessionAhead(task);
    }

    /**
     * The replay nonce the first signed request needs, asked for now (a round trip the order would otherwise wait for).
     * A nonce the CA no longer accepts when it is used is answered with a new one, which acme4j retries with; a CA that
     * does not answer here is left for the first request to meet.
     */
    private static void prefetchNonce(Session s) {
        try (NonceHolder n = s.lockNonce()) {
            if (n.getNonce() != null) return; // the directory's answer carried one
        }
        try (Connection c = s.connect()) {
            c.resetNonce(s);
        } catch (AcmeException | RuntimeException e) {
            // the first signed request asks for one itself, and reports what it meets
        }
    }

    /** The session opened ahead (or the failure it met), once; after that, or when none was opened, a new one. */
    Session takeOrOpen(CaEndpoint ca, Workspace workspace) throws AcmeException, AcmeConfigProblem, IOException {
        Optional<Session> opened = take();
        return opened.isPresent() ? opened.get() : AcmeSessions.open(ca, workspace);
    }

    /** The session opened ahead, once; empty after that or when none was opened. */
    synchronized Optional<Session> take() throws AcmeException, AcmeConfigProblem, IOException {
        if (task == null || taken) return Optional.empty();
        taken = true;
        try {
            return Optional.of(task.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to the CA");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof AcmeException a) throw a;
            if (c instanceof AcmeConfigProblem p) throw p;
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }
}

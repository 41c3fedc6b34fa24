package dev.certops.acme;

import dev.certops.config.CaConfig;
import dev.certops.config.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * CA sessions a command opens as soon as its plan says which CA it tries first — before it takes the certificate's
 * lease and checks the rate-limit budget — so the TLS handshake and the directory read overlap both
 * (docs/decisions/0017). Reading a directory changes nothing at the CA. The first attempt at that CA takes the
 * session, or the failure it met (a CA that is down is still asked once per attempt); a retry, or an attempt at
 * another CA, opens its own. A session nobody takes (the lease was held elsewhere, the budget refused, the CA was
 * skipped) is dropped with the command: it holds no key. In a long-lived process (the console) one not taken within
 * {@link #FRESH_FOR} is dropped too: what it met (a CA down, a directory) is no longer news.
 */
public final class SessionsAhead {
    /** How long a session opened ahead, or the failure it met, stands for the CA. */
    static final Duration FRESH_FOR = Duration.ofMinutes(1);
    /**
     * Sessions opened before any command had its plans, by a CLI head start that read certops.yaml ahead
     * ({@link #openEarly}); the first {@link #open} of the same CA, staging and workspace takes one over.
     */
    private static final Map<String, Early> EARLY = new HashMap<>();
    /**
     * Endpoints a command has opened its own session for (taking an early one over, or not): a head start that gets there
     * later opens none (with a session hinted before certops.yaml was read, the command may be first).
     */
    private static final Set<String> CLAIMED = new HashSet<>();
    private final Map<String, Opened> opened = new HashMap<>();
    private final LongSupplier nanos;

    private record Opened(SessionAhead session, long atNanos) { }

    /** A session opened early, for exactly this directory and trust file (a CA entry's endpoint) and workspace. */
    private record Early(SessionKey key, Path workspace, SessionAhead session, long atNanos) { }

    public SessionsAhead() { this(System::nanoTime); }

    /** With the clock that ages what was opened (tests). */
    SessionsAhead(LongSupplier nanos) { this.nanos = nanos; }

    /** Starts opening the session of {@code ca} (its staging directory when {@code staging}), once per CA endpoint. */
    public synchronized void open(CaConfig ca, boolean staging, Workspace workspace) {
        CaEndpoint endpoint = new CaEndpoint(ca, staging);
        if (!endpoint.hasDirectory()) return; // the attempt says so itself
        Opened o = opened.get(endpoint.stateName());
        if (o != null && fresh(o)) return;
        SessionAhead early = takeEarly(ca, staging, workspace);
        opened.put(endpoint.stateName(), new Opened(early != null ? early : SessionAhead.open(endpoint, workspace), nanos.getAsLong()));
    }

    /**
     * Starts opening the session of {@code ca} before any command has its plans: a CLI head start's guess from the typed
     * command line and certops.yaml read ahead (docs/decisions/0017). The command's own {@link #open} takes it over only
     * for the very same CA entry, staging choice and workspace; otherwise it is never used and dies with the process.
     */
    public static void openEarly(CaConfig ca, boolean staging, Workspace workspace) {
        CaEndpoint endpoint = new CaEndpoint(ca, staging);
        if (!endpoint.hasDirectory()) return;
        openEarly(SessionKey.of(endpoint, workspace), workspace);
    }

    /**
     * Starts opening the session {@code key} names, before certops.yaml is read ({@link SessionHints}); one opened for the
     * same endpoint name with another directory or trust file is replaced.
     */
    static void openEarly(SessionKey key, Workspace workspace) {
        Path root = workspace.root();
        synchronized (EARLY) {
            if (CLAIMED.contains(key.stateName())) return;
            Early e = EARLY.get(key.stateName());
            if (e != null && e.key().equals(key) && e.workspace().equals(root)) return;
            EARLY.put(key.stateName(), new Early(key, root, SessionAhead.open(key), System.nanoTime()));
        }
    }

    private static SessionAhead takeEarly(CaConfig ca, boolean staging, Workspace workspace) {
        synchronized (EARLY) {
            CLAIMED.add(new CaEndpoint(ca, staging).stateName());
            if (EARLY.isEmpty()) return null;
            SessionKey key = SessionKey.of(new CaEndpoint(ca, staging), workspace);
            Early e = EARLY.remove(key.stateName());
            // the same directory and trust file in the same workspace: the same session the command would open
            boolean same = e != null && e.key().equals(key) && e.workspace().equals(workspace.root());
            return same && System.nanoTime() - e.atNanos() < FRESH_FOR.toNanos() ? e.session() : null;
        }
    }

    /** How many sessions opened early wait to be taken over (tests). */
    static int earlyCount() {
        synchronized (EARLY) {
            return EARLY.size();
        }
    }

    /** The session opened early for this endpoint, left in place (tests). */
    static SessionAhead peekEarly(CaEndpoint endpoint) {
        synchronized (EARLY) {
            Early e = EARLY.get(endpoint.stateName());
            return e == null ? null : e.session();
        }
    }

    /** Forgets what was opened early (tests run many commands in one process). */
    static void forgetEarly() {
        synchronized (EARLY) {
            EARLY.clear();
            CLAIMED.clear();
        }
    }

    /** The session opened ahead for this CA endpoint, once; {@code null} when none was (or it was taken). */
    synchronized SessionAhead take(CaEndpoint ca) {
        Opened o = opened.remove(ca.stateName());
        return o != null && fresh(o) ? o.session() : null;
    }

    private boolean fresh(Opened o) {
        return nanos.getAsLong() - o.atNanos() < FRESH_FOR.toNanos();
    }
}

package dev.certops.acme;

import dev.certops.config.CaConfig;
import dev.certops.config.Workspace;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
    private final Map<String, Opened> opened = new HashMap<>();
    private final LongSupplier nanos;

    private record Opened(SessionAhead session, long atNanos) { }

    public SessionsAhead() { this(System::nanoTime); }

    /** With the clock that ages what was opened (tests). */
    SessionsAhead(LongSupplier nanos) { this.nanos = nanos; }

    /** Starts opening the session of {@code ca} (its staging directory when {@code staging}), once per CA endpoint. */
    public synchronized void open(CaConfig ca, boolean staging, Workspace workspace) {
        CaEndpoint endpoint = new CaEndpoint(ca, staging);
        if (!endpoint.hasDirectory()) return; // the attempt says so itself
        Opened o = opened.get(endpoint.stateName());
        if (o != null && fresh(o)) return;
        opened.put(endpoint.stateName(), new Opened(SessionAhead.open(endpoint, workspace), nanos.getAsLong()));
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

package dev.certops.acme;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.shredzone.acme4j.Login;

/**
 * One ACME session and account login per CA endpoint, shared by the issuances of one command over many
 * certificates: the CA's directory is read once, its nonces and HTTPS connections are reused, and the
 * account is looked up (or registered) once — not once per certificate. acme4j's {@code Session} takes
 * a lock around each signed request, so the issuances can share it from their threads.
 * <p>
 * Without it ({@link IssuanceService} alone) every attempt opens its own session, as a single issuance
 * always has.
 */
public final class AccountSessions {
    /** Opens a session and logs in (or registers): the first time a CA endpoint is used, or after the CA forgot the account. */
    @FunctionalInterface
    interface Opener {
        Login open() throws Exception;
    }

    private final Map<String, Login> logins = new HashMap<>();
    private final Map<String, SessionAhead> aheads = new HashMap<>();
    private int opened;

    /**
     * The session for this CA endpoint opened ahead, started by the first issuance that asks (beside its budget check);
     * nothing once the CA has a login: the issuances that follow use that.
     */
    synchronized SessionAhead ahead(CaEndpoint ca, Supplier<SessionAhead> open) {
        if (logins.containsKey(ca.stateName())) return SessionAhead.none();
        return aheads.computeIfAbsent(ca.stateName(), k -> open.get());
    }

    /** The login for this CA endpoint, opened by {@code opener} the first time. */
    synchronized Login login(CaEndpoint ca, Opener opener) throws Exception {
        Login l = logins.get(ca.stateName());
        if (l != null) return l;
        l = opener.open();
        opened++;
        logins.put(ca.stateName(), l);
        return l;
    }

    /**
     * After the CA said it does not know {@code failed}'s account: logs in again through {@code opener} (which
     * forgets the stored account and registers), unless another issuance of this batch has done so already.
     */
    synchronized Login relogin(CaEndpoint ca, Login failed, Opener opener) throws Exception {
        Login current = logins.get(ca.stateName());
        if (current != null && current != failed) return current;
        Login l = opener.open();
        opened++;
        logins.put(ca.stateName(), l);
        return l;
    }

    /** How many sessions were opened (logins made) so far. */
    public synchronized int opened() { return opened; }
}

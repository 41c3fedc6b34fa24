package dev.certops.lease;

import dev.certops.history.EventKinds;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.JdbcHistoryStore;
import dev.certops.history.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Leases on what changes the world, in the history database (table {@code leases}), so two consoles
 * never deploy, issue, revoke or roll back the same certificate at once — across machines on
 * PostgreSQL, across processes of one machine on SQLite. Each decision is one transaction holding
 * the leases table's lock (PostgreSQL: {@code LOCK TABLE leases IN SHARE ROW EXCLUSIVE MODE};
 * SQLite: {@code BEGIN IMMEDIATE}). A held lease is renewed every third of its time to live while the
 * work runs; a holder that dies stops renewing and its lease lapses (default {@link #DEFAULT_TTL}), after
 * which the next console takes it over (recorded as {@code lease.expired}). Every acquire, release,
 * take-over and break is appended to history in the same transaction as the lease change (one commit:
 * the lease and its event exist together or not at all). Expiry is judged by the clocks of the consoles (keep
 * them NTP-synchronized).
 *
 * <pre>{@code
 * try (HeldLease lease = session.leases().acquire("api", "deploy", "runbook primary-ca-outage, run 42")) {
 *     ... deploy ...
 * } // released here, also on failure
 * }</pre>
 */
public final class LeaseService implements AutoCloseable {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private final HistoryDatabase db;
    private final JdbcHistoryStore history;
    private final String actor;
    private final String console;
    private final Clock clock;
    private final Duration ttl;
    private final ScheduledExecutorService renewer;
    private final Optional<String> machine;
    private Connection connection;
    private volatile Guard guard = (operation, subject, why) -> { };

    /**
     * Decides whether this actor may take a lease for {@code operation} (or break one: "break a lease");
     * throws an unchecked exception saying why not. Team mode installs who-may-do-what here, the one
     * place every change of the world passes through.
     */
    @FunctionalInterface
    public interface Guard {
        void check(String operation, String subject, String why);
    }

    /** Installs the check every acquire and break passes first. */
    public LeaseService guardedBy(Guard guard) {
        this.guard = guard;
        return this;
    }

    public LeaseService(HistoryDatabase db, HistoryStore history, String actor, String console, Clock clock, Duration ttl) {
        this(db, history, actor, console, clock, ttl, MachineIdentity.current());
    }

    /** With the identity of the machine this console runs on (see {@link MachineIdentity}); empty when unknown. */
    LeaseService(HistoryDatabase db, HistoryStore history, String actor, String console, Clock clock, Duration ttl,
                 Optional<String> machine) {
        this.machine = machine;
        this.db = db;
        if (!(history instanceof JdbcHistoryStore jdbc) || !jdbc.database().equals(db)) {
            throw new IllegalArgumentException("leases live in the history database: pass the store opened on " + db.where());
        }
        this.history = jdbc;
        this.actor = actor;
        this.console = console;
        this.clock = clock;
        this.ttl = ttl;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "certops-lease-renewer");
            t.setDaemon(true);
            return t;
        });
    }

    public String console() { return console; }

    /**
     * Takes the lease on {@code subject} for {@code operation}, or fails naming who holds it.
     *
     * @param holder why, in words, e.g. "runbook primary-ca-outage, run 42"
     */
    public HeldLease acquire(String subject, String operation, String holder)
            throws LeaseHeldException, HistoryException {
        guard.check(operation, subject, holder);
        // the token starts with this machine's identity: a holder's process id is judged only on its own machine
        String token = machine.map(m -> m + TOKEN_MACHINE_END).orElse("") + UUID.randomUUID();
        Instant now = clock.instant();
        Lease mine = new Lease(subject, operation, holder, actor, console, now, now.plus(ttl));
        Taken taken = tx(c -> {
            Optional<Lease> current = read(c, subject);
            if (current.isPresent() && !current.get().expiredAt(now) && !holderProcessGone(current.get(), token(c, subject))) {
                return new Taken(current, Optional.empty());
            }
            delete(c, subject);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leases (subject, token, operation, holder, actor, "
                    + "console, since_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, subject);
                ps.setString(2, token);
                ps.setString(3, operation);
                ps.setString(4, holder);
                ps.setString(5, actor);
                ps.setString(6, console);
                ps.setLong(7, now.toEpochMilli());
                ps.setLong(8, mine.expires().toEpochMilli());
                ps.executeUpdate();
            }
            List<NewEvent> events = new ArrayList<>();
            current.ifPresent(p -> events.add(new NewEvent(EventKinds.LEASE_EXPIRED, subject, "info", Map.of(
                    "previousActor", p.actor(), "previousHolder", p.holder(), "operation", p.operation(),
                    "expiredAt", p.expiredAt(now) ? p.expires().toString() : now.toString(),
                    "why", p.expiredAt(now) ? "not renewed in time" : "its console process on this machine has ended"))));
            events.add(new NewEvent(EventKinds.LEASE_ACQUIRED, subject, "ok", details(mine)));
            history.appendWithin(c, events);
            return new Taken(Optional.empty(), current);
        });
        if (taken.heldByOther().isPresent()) {
            throw new LeaseHeldException(taken.heldByOther().get());
        }
        HeldLease held = new HeldLease(this, mine, token);
        long every = Math.max(50, ttl.toMillis() / 3);
        held.renewWith(renewer.scheduleAtFixedRate(held::renew, every, every, TimeUnit.MILLISECONDS));
        return held;
    }

    /**
     * A lease taken by a console of this same user and machine whose process has ended (killed, crashed):
     * nobody can renew it, so waiting for its expiry would only delay the recovery — a resumed runbook
     * run or the next timer-run renew takes it over at once. Consoles of other machines are never judged
     * this way: for them only expiry counts. "This machine" is the identity recorded in the lease's token
     * (the boot id), not the host name: two cloned VMs with one host name are two machines; a SQLite
     * history file is one machine's.
     */
    private boolean holderProcessGone(Lease held, String heldToken) {
        if (!held.actor().equals(actor) || held.console().equals(console)) return false;
        boolean sameMachine = db instanceof HistoryDatabase.Sqlite
                || machine.map(m -> heldToken.startsWith(m + TOKEN_MACHINE_END)).orElse(false);
        if (!sameMachine) return false;
        Matcher m = PID.matcher(held.console());
        if (!m.find()) return false;
        long pid = Long.parseLong(m.group(1));
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static final Pattern PID = Pattern.compile("-(\\d{1,10})$");
    private static final String TOKEN_MACHINE_END = "/";

    private static String token(Connection c, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT token FROM leases WHERE subject = ?")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    /** The outcome of the acquire transaction: refused (held by another) or taken (maybe over an expired one). */
    private record Taken(Optional<Lease> heldByOther, Optional<Lease> expired) { }

    /** Extends the lease; empty when it is no longer ours (broken by hand, or expired and taken over). */
    Optional<Lease> renew(HeldLease held) throws HistoryException {
        Instant expires = clock.instant().plus(ttl);
        int n = tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET expires_ms = ? WHERE subject = ? AND token = ?")) {
                ps.setLong(1, expires.toEpochMilli());
                ps.setString(2, held.lease().subject());
                ps.setString(3, held.token());
                return ps.executeUpdate();
            }
        });
        Lease l = held.lease();
        return n == 1 ? Optional.of(new Lease(l.subject(), l.operation(), l.holder(), l.actor(), l.console(), l.since(),
                expires)) : Optional.empty();
    }

    void release(HeldLease held) throws HistoryException {
        Lease l = held.lease();
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases WHERE subject = ? AND token = ?")) {
                ps.setString(1, l.subject());
                ps.setString(2, held.token());
                if (ps.executeUpdate() == 1) {
                    history.appendWithin(c, List.of(new NewEvent(EventKinds.LEASE_RELEASED, l.subject(), "ok",
                            Map.of("operation", l.operation(), "holder", l.holder(), "console", l.console()))));
                }
                return null;
            }
        });
    }

    /**
     * Breaks the lease on {@code subject} by hand (its console is gone and the work must go on now).
     * The reason is required and recorded in history with who held it.
     */
    public Optional<Lease> breakLease(String subject, String reason) throws HistoryException {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("breaking a lease needs a reason (it is recorded in history), "
                    + "e.g. \"alice's laptop crashed mid-deploy\"");
        }
        guard.check("break a lease", subject, reason);
        return tx(c -> {
            Optional<Lease> current = read(c, subject);
            if (current.isPresent()) {
                Lease l = current.get();
                delete(c, subject);
                history.appendWithin(c, List.of(new NewEvent(EventKinds.LEASE_BROKEN, subject, "ok", Map.of("reason", reason,
                        "previousActor", l.actor(), "previousHolder", l.holder(), "previousConsole", l.console(),
                        "operation", l.operation()))));
            }
            return current;
        });
    }

    /** The leases that have not lapsed, by subject. */
    public List<Lease> current() throws HistoryException {
        Instant now = clock.instant();
        return tx(c -> {
            List<Lease> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM leases ORDER BY subject")) {
                while (rs.next()) {
                    Lease l = row(rs);
                    if (!l.expiredAt(now)) {
                        out.add(l);
                    }
                }
            }
            return out;
        });
    }

    private static final String COLUMNS = "subject, operation, holder, actor, console, since_ms, expires_ms";

    private static Optional<Lease> read(Connection c, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM leases WHERE subject = ?")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Lease row(ResultSet rs) throws SQLException {
        return new Lease(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }

    private static void delete(Connection c, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases WHERE subject = ?")) {
            ps.setString(1, subject);
            ps.executeUpdate();
        }
    }

    private static Map<String, Object> details(Lease l) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("operation", l.operation());
        d.put("holder", l.holder());
        d.put("console", l.console());
        d.put("expires", l.expires().toString());
        return d;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private synchronized <T> T tx(Work<T> work) throws HistoryException {
        try {
            if (connection == null || connection.isClosed()) {
                connection = db.connect();
            }
            boolean pg = db instanceof HistoryDatabase.Postgres;
            try (Statement st = connection.createStatement()) {
                st.executeUpdate(pg ? "BEGIN; LOCK TABLE leases IN SHARE ROW EXCLUSIVE MODE" : "BEGIN IMMEDIATE");
                try {
                    T result = work.run(connection);
                    st.executeUpdate("COMMIT");
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        st.executeUpdate("ROLLBACK");
                    } catch (SQLException rb) {
                        e.addSuppressed(rb);
                    }
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new HistoryException("could not read or change leases in the history at " + db.where() + ": "
                    + e.getMessage() + ". Nothing that changes certificates or servers may run without its lease.", e);
        }
    }

    @Override
    public synchronized void close() {
        renewer.shutdownNow();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing
            }
        }
    }
}

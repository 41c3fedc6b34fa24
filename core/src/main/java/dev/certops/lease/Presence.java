package dev.certops.lease;

import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is connected: each open console heartbeats its row in table {@code consoles} (console id,
 * actor, since, last seen) every {@link #HEARTBEAT}; {@link #current()} lists the consoles seen within
 * {@link #WINDOW} with the leases each holds. Closing removes this console's row.
 */
public final class Presence implements AutoCloseable {
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration WINDOW = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

    /** A console that is connected, and the subjects it holds leases on. */
    public record ConsoleInfo(String console, String actor, Instant since, Instant lastSeen, List<Lease> leases) { }

    private final HistoryDatabase db;
    private final String actor;
    private final String console;
    private final Clock clock;
    private final Instant since;
    private final ScheduledExecutorService beat;
    private Connection connection;

    private Presence(HistoryDatabase db, String actor, String console, Clock clock) {
        this.db = db;
        this.actor = actor;
        this.console = console;
        this.clock = clock;
        this.since = clock.instant();
        this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "certops-presence");
            t.setDaemon(true);
            return t;
        });
    }

    /** Announces this console now and keeps heartbeating every {@code every} until closed. */
    public static Presence join(HistoryDatabase db, String actor, String console, Clock clock, Duration every)
            throws HistoryException {
        Presence p = new Presence(db, actor, console, clock);
        p.heartbeat();
        p.beat.scheduleAtFixedRate(() -> {
            try {
                p.heartbeat();
            } catch (HistoryException e) {
                LOG.warn("presence heartbeat failed: {}", e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return p;
    }

    synchronized void heartbeat() throws HistoryException {
        try (PreparedStatement ps = connection().prepareStatement("INSERT INTO consoles (console, actor, since_ms, last_seen_ms) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (console) DO UPDATE SET last_seen_ms = excluded.last_seen_ms")) {
            ps.setString(1, console);
            ps.setString(2, actor);
            ps.setLong(3, since.toEpochMilli());
            ps.setLong(4, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The consoles seen within {@link #WINDOW}, oldest first, each with the leases it holds. */
    public synchronized List<ConsoleInfo> current() throws HistoryException {
        long now = clock.millis();
        Map<String, ConsoleInfo> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection().prepareStatement("SELECT c.console, c.actor, c.since_ms, c.last_seen_ms, "
                + "l.subject, l.operation, l.holder, l.actor, l.since_ms, l.expires_ms FROM consoles c "
                + "LEFT JOIN leases l ON l.console = c.console AND l.expires_ms > ? WHERE c.last_seen_ms > ? "
                + "ORDER BY c.since_ms, c.console, l.subject")) {
            ps.setLong(1, now);
            ps.setLong(2, now - WINDOW.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    ConsoleInfo c = out.computeIfAbsent(id, k -> info(rs));
                    if (rs.getString(5) != null) {
                        c.leases().add(new Lease(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), id,
                                Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10))));
                    }
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out.values().stream().map(c -> new ConsoleInfo(c.console(), c.actor(), c.since(), c.lastSeen(),
                List.copyOf(c.leases()))).toList();
    }

    private static ConsoleInfo info(ResultSet rs) {
        try {
            return new ConsoleInfo(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                    Instant.ofEpochMilli(rs.getLong(4)), new ArrayList<>());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connection() throws HistoryException, SQLException {
        if (connection == null || connection.isClosed()) {
            connection = db.connect();
        }
        return connection;
    }

    private HistoryException failed(SQLException e) {
        return new HistoryException("could not read or update who is connected in the history at " + db.where() + ": "
                + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        beat.shutdownNow();
        try (PreparedStatement ps = connection().prepareStatement("DELETE FROM consoles WHERE console = ?")) {
            ps.setString(1, console);
            ps.executeUpdate();
        } catch (SQLException | HistoryException e) {
            LOG.debug("could not remove console {} from presence: {}", console, e.getMessage());
        }
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing
        }
    }
}

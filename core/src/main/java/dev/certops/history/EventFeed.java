package dev.certops.history;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live history for a console: new events, whoever appended them, delivered within a second.
 * PostgreSQL: a connection LISTENs on {@code certops_events} (a trigger NOTIFYs the seq of every
 * insert) and wakes the subscription at once, with a catch-up query every {@value #POLL_MS} ms as
 * well. SQLite: the subscription polls for events after the last seen seq every {@value #POLL_MS} ms.
 * Each subscription has its own daemon thread; the consumer runs on it, in seq order, each event once.
 * A database that goes away is retried; the consumer sees nothing until it is back.
 */
public final class EventFeed {
    static final int POLL_MS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

    private final HistoryDatabase db;
    private final HistoryStore store;

    public EventFeed(HistoryDatabase db, HistoryStore store) {
        this.db = db;
        this.store = store;
    }

    /** Delivers every event with a seq greater than {@code afterSeq}, then new ones as they come; close to stop. */
    public Closeable subscribe(long afterSeq, Consumer<HistoryEvent> consumer) {
        Subscription s = new Subscription(afterSeq, consumer);
        Thread t = new Thread(s::run, "certops-event-feed");
        t.setDaemon(true);
        s.thread = t;
        t.start();
        return s;
    }

    private final class Subscription implements Closeable {
        private volatile boolean closed;
        private volatile Thread thread;
        private long after;
        private final Consumer<HistoryEvent> consumer;
        private Connection listener;

        Subscription(long after, Consumer<HistoryEvent> consumer) {
            this.after = after;
            this.consumer = consumer;
        }

        void run() {
            while (!closed) {
                try {
                    List<HistoryEvent> events = store.query(EventQuery.all().afterSeq(after).limit(1_000));
                    for (HistoryEvent e : events) {
                        if (closed) {
                            return;
                        }
                        consumer.accept(e);
                        after = e.seq();
                    }
                    if (events.size() == 1_000) {
                        continue; // more to catch up on
                    }
                } catch (HistoryException | RuntimeException e) {
                    LOG.debug("event feed could not read {}: {}", db.where(), e.getMessage());
                }
                waitForNews();
            }
            closeListener();
        }

        private void waitForNews() {
            if (db instanceof HistoryDatabase.Postgres) {
                try {
                    if (listener == null || listener.isClosed()) {
                        listener = db.connect();
                        try (Statement st = listener.createStatement()) {
                            st.execute("LISTEN certops_events");
                        }
                        return; // catch up on what came before LISTEN took effect
                    }
                    listener.unwrap(PGConnection.class).getNotifications(POLL_MS);
                    return;
                } catch (SQLException | HistoryException e) {
                    LOG.debug("event feed lost its listener on {}: {}", db.where(), e.getMessage());
                    closeListener();
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
        }

        private void closeListener() {
            if (listener != null) {
                try {
                    listener.close();
                } catch (SQLException ignored) {
                    // closing
                }
                listener = null;
            }
        }

        @Override
        public void close() {
            closed = true;
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}

package dev.certops.history;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The history port: an append-only, hash-chained event log. SQLite by default (one file per
 * workspace); PostgreSQL for teams ({@link PostgresHistoryStore}) behind the same interface; {@link HistoryStores}
 * chooses by configuration.
 *
 * <p>Implementations are thread-safe; appends are serialized on the chain head. A batch is one
 * transaction: all of it is recorded or none of it.
 */
public interface HistoryStore extends AutoCloseable {

    /** Appends one event and returns it as stored. */
    HistoryEvent append(NewEvent event) throws HistoryException;

    /** Appends events in one transaction, in order. */
    List<HistoryEvent> appendAll(List<NewEvent> events) throws HistoryException;

    /** Events matching the query, ascending by seq. */
    List<HistoryEvent> query(EventQuery query) throws HistoryException;

    /** Streams matching events without holding them all in memory. */
    void forEach(EventQuery query, Consumer<HistoryEvent> consumer) throws HistoryException;

    /**
     * The newest event of exactly this {@code kind} for each subject, ascending by seq: what a reader of "the last
     * recorded state per subject" needs, without reading every older event (a scan's previous statuses).
     */
    void forEachLatestPerSubject(String kind, Consumer<HistoryEvent> consumer) throws HistoryException;

    /** The newest event, if any. */
    Optional<HistoryEvent> head() throws HistoryException;

    /** Number of events. */
    long count() throws HistoryException;

    /** Walks the whole chain and reports the first event that does not verify. */
    AuditResult verify() throws HistoryException;

    /**
     * Whether the database answers right now (a cheap query). Views built from history while this
     * says unreachable are stale. Never throws.
     */
    default HistoryHealth health() {
        try {
            return HistoryHealth.reachable(toString(), head().map(HistoryEvent::seq).orElse(0L));
        } catch (HistoryException | RuntimeException e) {
            return HistoryHealth.unreachable(toString(), e.getMessage());
        }
    }

    /**
     * Refuses when an event could not be recorded right now; called before anything changes the world.
     * The exception's message is "history cannot be written: CAUSE; nothing was changed".
     */
    default void checkWritable() throws HistoryUnwritableException {
        HistoryHealth h = health();
        if (!h.reachable()) throw new HistoryUnwritableException(h.where() + " does not answer (" + h.problem().orElse("") + ")", null);
    }

    /**
     * Write-ahead: records that a step is about to change the world, before it runs. When that cannot
     * be written the caller must not run the step; the exception says "history cannot be written: …;
     * nothing was changed".
     */
    default HistoryEvent appendIntent(NewEvent intent) throws HistoryUnwritableException {
        try {
            return append(intent);
        } catch (HistoryUnwritableException e) {
            throw e;
        } catch (HistoryException e) {
            throw new HistoryUnwritableException(e.reason(), e);
        }
    }

    @Override
    void close() throws HistoryException;
}

package dev.certops.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes history for auditors, every column included, so the chain can be re-verified from the export
 * alone (see the format on {@link SqliteHistoryStore}).
 *
 * <p>Columns: {@code seq, time} (ISO-8601 UTC, milliseconds), {@code time_ms} (the hashed epoch
 * milliseconds), {@code actor, kind, subject, outcome, details} (the stored canonical JSON text, exactly
 * as hashed), {@code prev_hash, hash}. CSV: a header line, then one record per event, CRLF line ends,
 * fields quoted as RFC 4180 says (when they hold a comma, a double quote, CR or LF; quotes doubled).
 * JSON: an array of objects with those names; {@code details} is a string.
 * Both stream: the store is read with {@link HistoryStore#forEach}. The writer is flushed, not closed.
 */
public final class AuditExport {
    static final String[] COLUMNS = {"seq", "time", "time_ms", "actor", "kind", "subject", "outcome", "details",
        "prev_hash", "hash"};

    private static final JsonFactory JSON = new JsonFactory();

    private AuditExport() { }

    /**
     * Who approved an event (team mode: the second person of a two-person gate), asked for each event
     * in chain order; adds an {@code approved_by} column ("" when none).
     */
    @FunctionalInterface
    public interface Approvers {
        String approvedBy(HistoryEvent e);
    }

    /** Writes the matching events as CSV; returns how many were written. */
    public static long writeCsv(HistoryStore store, EventQuery query, Writer out) throws HistoryException, IOException {
        return writeCsv(store, query, out, null);
    }

    /** As {@link #writeCsv(HistoryStore, EventQuery, Writer)}, with a last column {@code approved_by} when {@code approvers} is given. */
    public static long writeCsv(HistoryStore store, EventQuery query, Writer out, Approvers approvers) throws HistoryException, IOException {
        out.write(String.join(",", COLUMNS));
        if (approvers != null) out.write(",approved_by");
        out.write("\r\n");
        long[] n = {0};
        try {
            store.forEach(query, e -> {
                try {
                    String[] fields = {Long.toString(e.seq()), EventRows.ISO_MILLIS.format(e.time()),
                        Long.toString(e.time().toEpochMilli()), e.actor(), e.kind(), e.subject(), e.outcome(),
                        e.details(), e.prevHash(), e.hash()};
                    for (int i = 0; i < fields.length; i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        out.write(csvField(fields[i]));
                    }
                    if (approvers != null) out.write("," + csvField(approvers.approvedBy(e)));
                    out.write("\r\n");
                    n[0]++;
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
        out.flush();
        return n[0];
    }

    /** Writes the matching events as a JSON array; returns how many were written. */
    public static long writeJson(HistoryStore store, EventQuery query, Writer out) throws HistoryException, IOException {
        return writeJson(store, query, out, null);
    }

    /** As {@link #writeJson(HistoryStore, EventQuery, Writer)}, with {@code approved_by} when {@code approvers} is given. */
    public static long writeJson(HistoryStore store, EventQuery query, Writer out, Approvers approvers) throws HistoryException, IOException {
        long[] n = {0};
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartArray();
            try {
                store.forEach(query, e -> {
                    try {
                        g.writeStartObject();
                        g.writeNumberField("seq", e.seq());
                        g.writeStringField("time", EventRows.ISO_MILLIS.format(e.time()));
                        g.writeNumberField("time_ms", e.time().toEpochMilli());
                        g.writeStringField("actor", e.actor());
                        g.writeStringField("kind", e.kind());
                        g.writeStringField("subject", e.subject());
                        g.writeStringField("outcome", e.outcome());
                        g.writeStringField("details", e.details());
                        g.writeStringField("prev_hash", e.prevHash());
                        g.writeStringField("hash", e.hash());
                        if (approvers != null) g.writeStringField("approved_by", approvers.approvedBy(e));
                        g.writeEndObject();
                        n[0]++;
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            } catch (UncheckedIOException ex) {
                throw ex.getCause();
            }
            g.writeEndArray();
        }
        out.flush();
        return n[0];
    }

    static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}

package dev.certops.app.history;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.UserMessages;
import dev.certops.history.AuditExport;
import dev.certops.history.AuditResult;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.words.Words;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/** The history screen's state: the newest events, a filter, the audit-chain status, export. */
public final class HistoryViewModel {
    private static final int SHOWN = 5000;
    private final HistoryStore history;
    private final BackgroundExecutor executor;
    private final ObservableList<HistoryEvent> events = FXCollections.observableArrayList();
    private final FilteredList<HistoryEvent> filtered = new FilteredList<>(events, x -> true);
    private final StringProperty filter = new SimpleStringProperty("");
    private final StringProperty chainStatus = new SimpleStringProperty("Audit chain not verified yet.");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty count = new SimpleStringProperty("");
    private final ObjectProperty<HistoryEvent> selected = new SimpleObjectProperty<>();
    private long total;

    public HistoryViewModel(HistoryStore history, BackgroundExecutor executor) {
        this.history = history;
        this.executor = executor;
        filter.addListener((o, a, b) -> {
            String f = b == null ? "" : b.strip().toLowerCase(Locale.ROOT);
            filtered.setPredicate(e -> f.isEmpty() || e.kind().contains(f) || e.subject().toLowerCase(Locale.ROOT).contains(f)
                    || e.actor().toLowerCase(Locale.ROOT).contains(f) || e.details().toLowerCase(Locale.ROOT).contains(f)
                    || EventWords.sentence(e).toLowerCase(Locale.ROOT).contains(f));
            updateCount();
        });
        events.addListener((ListChangeListener<HistoryEvent>) c -> updateCount());
    }

    public FilteredList<HistoryEvent> events() { return filtered; }
    public StringProperty filterProperty() { return filter; }
    public StringProperty chainStatusProperty() { return chainStatus; }
    public StringProperty messageProperty() { return message; }
    /** "73 events, newest first" / "12 of 73 events match the filter" — always the real numbers. */
    public StringProperty countProperty() { return count; }
    /** The event shown in the detail pane. */
    public ObjectProperty<HistoryEvent> selectedProperty() { return selected; }

    private void updateCount() {
        long all = Math.max(total, events.size());
        String loaded = all > events.size() ? " (the newest " + events.size() + " are loaded)" : "";
        boolean filtering = filter.get() != null && !filter.get().isBlank();
        count.set(filtering ? filtered.size() + " of " + Words.count(all, "event") + " match the filter" + loaded
                : Words.count(all, "event") + ", newest first" + loaded);
    }

    /** Loads the newest events, newest first. */
    public void refresh() {
        executor.run("Reading history", () -> {
            long n = history.count();
            List<HistoryEvent> out = new ArrayList<>(history.query(EventQuery.all().afterSeq(Math.max(0, n - SHOWN))));
            Collections.reverse(out);
            return Map.entry(n, out);
        }, r -> {
            total = r.getKey();
            events.setAll(r.getValue());
            message.set(r.getValue().isEmpty() ? "No events yet: every scan, issuance, deployment and runbook step will be recorded here." : "");
            updateCount();
        }, t -> message.set("History could not be read: " + UserMessages.headline(t)));
    }

    /** Puts a new event (from the live feed: any console's) at the top, once. */
    public void prepend(HistoryEvent e) {
        if (!events.isEmpty() && e.seq() <= events.get(0).seq()) return;
        total = Math.max(total + 1, e.seq());
        events.add(0, e);
    }

    /** Walks the whole hash chain. */
    public void verify() {
        chainStatus.set("Verifying the audit chain…");
        executor.run("Verifying the audit chain", history::verify, (AuditResult r) -> chainStatus.set(r.ok()
                ? "Audit chain intact: " + r.checked() + " events verified."
                : "AUDIT CHAIN BROKEN at event " + r.firstBroken().orElse(-1L) + ": " + r.problem().orElse("") + ". Keep the file as evidence."),
                t -> chainStatus.set("Verification failed: " + UserMessages.headline(t)));
    }

    /** Exports every event (CSV or JSON by the file's extension). */
    public void export(Path file) {
        executor.run("Exporting history", () -> {
            try (Writer w = Files.newBufferedWriter(file)) {
                return file.toString().endsWith(".json") ? AuditExport.writeJson(history, EventQuery.all(), w) : AuditExport.writeCsv(history, EventQuery.all(), w);
            }
        }, n -> message.set("Exported " + n + " events to " + file), t -> message.set("Export failed: " + UserMessages.headline(t) + " — choose a folder you can write to."));
    }
}

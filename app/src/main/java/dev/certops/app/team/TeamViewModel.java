package dev.certops.app.team;

import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryHealth;
import dev.certops.lease.Lease;
import dev.certops.lease.Presence;
import dev.certops.renew.RenewStatus;
import dev.certops.root.CompositionRoot;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's view of the team, live: who holds a lease on which certificate, which other consoles
 * are connected, whether the history answers (stale when it does not: changes disabled), and the
 * renewal dead man's switch. Follows the history event feed off the UI thread (every console's events
 * within a second) and re-reads every {@link #POLL} for what no event announces (a database that went
 * away, a lease that lapsed, a console that left). Results are published through {@code ui}.
 */
public final class TeamViewModel implements AutoCloseable {
    /** How often health, leases and presence are re-read without an event. */
    public static final Duration POLL = Duration.ofSeconds(2);
    /** How often the renew status is re-read without a renew event (it reads every renew.* event). */
    static final Duration RENEW_POLL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(TeamViewModel.class);

    private final CompositionRoot session;
    private final Executor ui;
    private final DateTimeFormatter time;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "certops-console-team");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private final AtomicBoolean renewPending = new AtomicBoolean(true);
    private final List<Consumer<HistoryEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private final ObservableMap<String, Lease> leases = FXCollections.observableHashMap();
    private final ObservableMap<String, String> holds = FXCollections.observableHashMap();
    private final ObservableList<Presence.ConsoleInfo> others = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper presenceText = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper staleText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper renewWarning = new ReadOnlyStringWrapper("");
    private volatile Closeable feed;
    private volatile Instant lastAnswered;
    private volatile Instant lastRenewRead = Instant.MIN;
    private volatile boolean closed;

    public TeamViewModel(CompositionRoot session, Executor ui) {
        this.session = session;
        this.ui = ui;
        this.time = DateTimeFormatter.ofPattern("HH:mm").withZone(session.clock().getZone());
    }

    /** Current leases by certificate id. */
    public ObservableMap<String, Lease> leases() { return leases; }
    /** For each held certificate, the indicator text: "held by alice@laptop — deploy, runbook x, run 42, since 02:14". */
    public ObservableMap<String, String> holds() { return holds; }
    /** The other consoles connected to this history (not this one). */
    public ObservableList<Presence.ConsoleInfo> others() { return others; }
    public ReadOnlyStringProperty presenceTextProperty() { return presenceText.getReadOnlyProperty(); }
    /** True while the history does not answer: views are stale and changes are disabled. */
    public ReadOnlyBooleanProperty staleProperty() { return stale.getReadOnlyProperty(); }
    /** The stale banner's text (empty when the history answers). */
    public ReadOnlyStringProperty staleTextProperty() { return staleText.getReadOnlyProperty(); }
    /** The dead man's switch and failing renewals, one line (empty when renewal is alive). */
    public ReadOnlyStringProperty renewWarningProperty() { return renewWarning.getReadOnlyProperty(); }

    /** Runs {@code listener} (through {@code ui}) for every new history event, whichever console appended it. */
    public Runnable onEvent(Consumer<HistoryEvent> listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    /** Joins presence, reads everything once, then follows the event feed and polls; all off the calling thread. */
    public void start() {
        worker.execute(() -> {
            try {
                session.presence();
            } catch (Exception e) {
                LOG.debug("could not join presence yet: {}", e.getMessage());
            }
            refreshNow();
        });
        worker.scheduleWithFixedDelay(this::refreshNow, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a re-read soon (coalesced: a burst of events costs one read). */
    public void refresh() {
        if (refreshPending.compareAndSet(false, true)) worker.execute(this::refreshNow);
    }

    private void refreshNow() {
        if (closed) return;
        refreshPending.set(false);
        try {
            HistoryHealth health = session.historyHealth();
            Instant now = session.clock().instant();
            if (!health.reachable()) {
                Instant since = lastAnswered == null ? now : lastAnswered;
                String text = "Stale since " + time.format(since) + " — " + where(health)
                        + " does not answer; changes are disabled until it is back.";
                ui.execute(() -> {
                    staleText.set(text); // the text first: whoever sees "stale" (the banner, a test) finds its words set
                    stale.set(true);
                });
                return;
            }
            lastAnswered = now;
            follow(health.headSeq());
            List<Lease> current = session.leases().current();
            List<Presence.ConsoleInfo> connected = session.presence().current().stream()
                    .filter(c -> !c.console().equals(session.consoleId())).toList();
            Optional<String> renew = Optional.empty();
            boolean readRenew = renewPending.getAndSet(false) || Duration.between(lastRenewRead, now).compareTo(RENEW_POLL) >= 0;
            if (readRenew) {
                lastRenewRead = now;
                renew = RenewStatus.read(session.config(), session.history(), now).situation();
            }
            Optional<String> renewLine = renew;
            ui.execute(() -> apply(current, connected, readRenew, renewLine));
        } catch (Exception e) {
            String why = String.valueOf(e.getMessage());
            if (!why.equals(lastReadProblem)) {
                // once per distinct problem: the lease badges and presence stay as last read until it clears
                LOG.warn("leases, presence or renew status could not be read ({}); the team indicators show what was last read", why);
                lastReadProblem = why;
            }
            return;
        }
        lastReadProblem = null;
    }

    /** The last read failure logged (logged once until it changes or clears). */
    private volatile String lastReadProblem;

    private void apply(List<Lease> current, List<Presence.ConsoleInfo> connected, boolean readRenew, Optional<String> renew) {
        stale.set(false);
        staleText.set("");
        Map<String, Lease> bySubject = new LinkedHashMap<>();
        current.forEach(l -> bySubject.put(l.subject(), l));
        leases.keySet().retainAll(bySubject.keySet());
        bySubject.forEach((k, l) -> {
            if (!l.equals(leases.get(k))) leases.put(k, l);
        });
        holds.keySet().retainAll(bySubject.keySet());
        bySubject.forEach((k, l) -> {
            String text = describe(l);
            if (!text.equals(holds.get(k))) holds.put(k, text); // unchanged: no event, no table refresh
        });
        others.setAll(connected);
        presenceText.set(connected.isEmpty() ? "no other console connected"
                : connected.size() + (connected.size() == 1 ? " other console: " : " other consoles: ")
                + String.join(", ", connected.stream().map(c -> c.actor() + (c.leases().isEmpty() ? ""
                        : " (holds " + String.join(", ", c.leases().stream().map(Lease::subject).toList()) + ")")).toList()));
        if (readRenew) renewWarning.set(renew.orElse(""));
    }

    /** "the team history at URL" (never a password: HistoryDatabase.where()) or "the history at FILE". */
    private String where(HistoryHealth health) {
        try {
            var db = session.historyDatabase();
            return (db instanceof HistoryDatabase.Postgres ? "the team history at " : "the history at ") + db.where();
        } catch (Exception e) {
            return "the history at " + health.where();
        }
    }

    /** The indicator text for one lease. */
    public String describe(Lease l) {
        String who = l.console().equals(session.consoleId()) ? "this console" : l.actor();
        return "held by " + who + " — " + l.operation() + ", " + l.holder() + ", since " + time.format(l.since());
    }

    /** One line per other console, for the status bar's tooltip. */
    public List<String> othersDescribed() {
        List<String> out = new ArrayList<>();
        for (Presence.ConsoleInfo c : others) {
            out.add(c.actor() + " (console " + c.console() + ", connected since " + time.format(c.since()) + ")"
                    + (c.leases().isEmpty() ? " — holds nothing"
                    : " — holds " + String.join("; ", c.leases().stream().map(l -> l.subject() + ": " + l.operation() + ", " + l.holder()).toList())));
        }
        return out;
    }

    private void follow(long head) throws Exception {
        if (feed != null) return;
        feed = session.eventFeed().subscribe(head, e -> {
            if (e.kind().startsWith("renew.")) renewPending.set(true);
            for (Consumer<HistoryEvent> l : eventListeners) ui.execute(() -> l.accept(e));
            refresh();
        });
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        Closeable f = feed;
        if (f != null) {
            try {
                f.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}

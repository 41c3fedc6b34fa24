package dev.certops.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.ConsoleWords;
import dev.certops.app.common.UserMessages;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.HostState;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import dev.certops.json.Json;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;

/**
 * The Deployments screen: per certificate and wave, each host's state, live — from deploy listeners
 * (work this console started) and from history's deploy events (runbook runs, the CLI, other
 * consoles) — with the reason on failure and a roll-back action.
 */
public final class DeploymentsViewModel {
    /** Rolls one host back through a core service, reporting its states to {@code listener}. */
    @FunctionalInterface
    public interface Rollbacker { HostOutcome rollback(String certificateId, String hostId, DeployListener listener) throws Exception; }

    /** One host of one certificate's deployment. {@code wave} is 1-based (0: not in the certificate's waves). */
    public record HostRow(String certificateId, int wave, String hostId, HostState state, String reason, Instant at) { }

    private static final ObjectMapper JSON = Json.mapper();
    private static final Map<String, HostState> AFTER_STEP = Map.of("connect", HostState.UPLOADING, "upload", HostState.SWAPPING,
            "swap", HostState.TESTING, "test", HostState.RELOADING, "reload", HostState.VERIFYING, "verify", HostState.VERIFIED);
    private final BackgroundExecutor executor;
    private final Executor ui;
    private final Function<String, Map<String, Integer>> waves;
    private final Rollbacker rollbacker;
    private final ObservableList<HostRow> rows = FXCollections.observableArrayList();
    private final SortedList<HostRow> sorted = new SortedList<>(rows, Comparator.comparing(HostRow::certificateId)
            .thenComparingInt(HostRow::wave).thenComparing(HostRow::hostId));
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty changesBlocked = new SimpleBooleanProperty();

    /** True while the history does not answer: nothing that changes a host may start (the shell binds it to the team's stale flag). */
    public BooleanProperty changesBlockedProperty() { return changesBlocked; }
    private final StringProperty details = new SimpleStringProperty("");

    public DeploymentsViewModel(BackgroundExecutor executor, Executor ui, Function<String, Map<String, Integer>> waves, Rollbacker rollbacker) {
        this.executor = executor;
        this.ui = ui;
        this.waves = waves;
        this.rollbacker = rollbacker;
    }

    public ObservableList<HostRow> rows() { return sorted; }
    public StringProperty messageProperty() { return message; }
    public StringProperty detailsProperty() { return details; }

    public String emptyText() {
        return "No deployment yet. Deploy from a runbook (Runbooks) or with Deploy… on the Estate; "
                + "each host's state appears here live, from this console and from every other one sharing the history.";
    }

    /** A host changed state (called on the UI thread). */
    public void onHostState(String certificateId, String hostId, HostState state, String reason, Instant at) {
        int wave = waves.apply(certificateId).getOrDefault(hostId, 0);
        HostRow row = new HostRow(certificateId, wave, hostId, state, reason == null ? "" : reason, at);
        for (int i = 0; i < rows.size(); i++) {
            HostRow r = rows.get(i);
            if (r.certificateId().equals(certificateId) && r.hostId().equals(hostId)) {
                if (r.at().isAfter(at)) return; // a replayed older event never overwrites a newer state
                rows.set(i, row);
                return;
            }
        }
        rows.add(row);
    }

    /** A listener for work this console starts: its calls (from deploying threads) reach the screen on the UI thread. */
    public DeployListener listenerFor(String certificateId) {
        return (host, state, reason) -> ui.execute(() -> onHostState(certificateId, host, state, reason, Instant.now()));
    }

    /** A history event (replayed on opening, or live from the event feed); anything but deploy events is ignored. */
    public void onEvent(HistoryEvent e) {
        if (!e.kind().startsWith("deploy.")) return;
        JsonNode d;
        try {
            d = JSON.readTree(e.details());
        } catch (Exception ex) {
            return;
        }
        String host = d.path("host").asText("");
        if (host.isEmpty()) return;
        boolean ok = "ok".equals(e.outcome());
        switch (e.kind()) {
            case EventKinds.DEPLOY_STEP -> {
                String step = d.path("step").asText();
                if (!ok) onHostState(e.subject(), host, HostState.FAILED, step + " failed: " + d.path("detail").asText(), e.time());
                else if (AFTER_STEP.containsKey(step)) onHostState(e.subject(), host, AFTER_STEP.get(step), step + " done", e.time());
            }
            case EventKinds.DEPLOY_HOST_FINISHED -> onHostState(e.subject(), host, ok ? HostState.VERIFIED
                    : d.path("rolledBack").asBoolean() ? HostState.ROLLED_BACK : HostState.FAILED, d.path("summary").asText(), e.time());
            case EventKinds.DEPLOY_ROLLBACK -> {
                if (ok) onHostState(e.subject(), host, HostState.ROLLED_BACK, "rolled back by the operator to " + d.path("to").asText(), e.time());
                else if (d.path("unverified").asBoolean()) onHostState(e.subject(), host, HostState.UNVERIFIED, "rolled back by the operator to "
                        + d.path("to").asText() + " — not verified: no endpoint of the certificate is served by this host", e.time());
                else onHostState(e.subject(), host, HostState.FAILED, "rollback failed: " + d.path("detail").asText(d.path("reason").asText()), e.time());
            }
            default -> { /* deploy.finished: the hosts' own events say it all */ }
        }
    }

    /** Puts the row's host back on its previous release; its states show live. */
    public void rollBack(HostRow row) {
        message.set("Rolling back " + row.certificateId() + " on " + row.hostId() + "…");
        details.set("");
        executor.run("Rolling back " + row.certificateId() + " on " + row.hostId(),
                () -> rollbacker.rollback(row.certificateId(), row.hostId(), listenerFor(row.certificateId())),
                o -> message.set(ConsoleWords.of(o.summary())),
                t -> {
                    message.set("The rollback of " + row.certificateId() + " on " + row.hostId() + " did not run: " + UserMessages.headline(t)
                            + " — check the host in Settings, then try again.");
                    details.set(UserMessages.details(t));
                });
    }
}

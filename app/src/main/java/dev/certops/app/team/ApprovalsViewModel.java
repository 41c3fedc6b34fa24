package dev.certops.app.team;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.UserMessages;
import dev.certops.history.HistoryEvent;
import dev.certops.root.CompositionRoot;
import dev.certops.team.ApprovalRequest;
import dev.certops.team.Approvals;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The two-person requests waiting for a second person, live (every console's {@code approval.*}
 * events re-read them): the selected one's preview, who asked and why, and the approve / refuse
 * commands with a reason, signed with this console's key. The requester's own requests are listed
 * too (to see what waits), but approving them is refused by core with the reason.
 */
public final class ApprovalsViewModel {
    private final CompositionRoot session;
    private final BackgroundExecutor executor;
    private final DateTimeFormatter time;
    private final ObservableList<ApprovalRequest> pending = FXCollections.observableArrayList();
    private final ObjectProperty<ApprovalRequest> selected = new SimpleObjectProperty<>();
    private final StringProperty reason = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty requester = new SimpleStringProperty("");
    private final StringProperty why = new SimpleStringProperty("");
    private final StringProperty preview = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final BooleanBinding canDecide = Bindings.createBooleanBinding(
            () -> !busy.get() && selected.get() != null && !reason.get().isBlank(), busy, selected, reason);

    public ApprovalsViewModel(CompositionRoot session, BackgroundExecutor executor) {
        this.session = session;
        this.executor = executor;
        this.time = DateTimeFormatter.ofPattern("HH:mm").withZone(session.clock().getZone());
        selected.addListener((o, was, r) -> {
            requester.set(r == null ? "" : r.requester() + " asks to " + action(r) + " — " + r.gate() + " is a two-person gate");
            why.set(r == null ? "" : "Why: " + r.why() + "   (request " + r.id() + " " + r.step() + ", expires at " + time.format(r.expiresAt()) + ")");
            preview.set(r == null ? "" : r.preview() + (r.previewDetails().isEmpty() ? "" : "\n  " + String.join("\n  ", r.previewDetails())));
        });
    }

    public ObservableList<ApprovalRequest> pending() { return pending; }
    public ObjectProperty<ApprovalRequest> selectedProperty() { return selected; }
    public StringProperty reasonProperty() { return reason; }
    public StringProperty messageProperty() { return message; }
    /** Who asked, for what. */
    public StringProperty requesterProperty() { return requester; }
    /** Their reason, the request and its expiry. */
    public StringProperty whyProperty() { return why; }
    /** What runs once approved: the preview the requester saw at the gate. */
    public StringProperty previewProperty() { return preview; }
    public BooleanBinding canDecide() { return canDecide; }

    /** One line per request in the list. */
    public String describe(ApprovalRequest r) {
        return r.requester() + ": " + action(r) + " (until " + time.format(r.expiresAt()) + ")";
    }

    private static String action(ApprovalRequest r) {
        return r.operation() + (r.subjects().isEmpty() ? "" : " " + String.join(", ", r.subjects()));
    }

    /** Re-reads the pending requests (off the UI thread). */
    public void refresh() {
        executor.run("Reading approval requests", () -> session.team().approvals().pending(), this::show,
                t -> message.set("Approval requests could not be read: " + UserMessages.headline(t)));
    }

    /** A live event from any console: approval events change what waits. */
    public void onEvent(HistoryEvent e) {
        if (e.kind().startsWith("approval.")) refresh();
    }

    public void approve() { decide(true); }
    public void refuse() { decide(false); }

    private void decide(boolean grant) {
        ApprovalRequest r = selected.get();
        if (r == null) return;
        if (reason.get().isBlank()) {
            message.set("A decision needs a reason: it is recorded with your signature.");
            return;
        }
        String why = reason.get();
        busy.set(true);
        executor.run(grant ? "Approving" : "Refusing", () -> session.team().approvals().decide(r.id(), r.step(), grant, why), (Approvals.Status s) -> {
            busy.set(false);
            reason.set("");
            message.set((grant ? "Approved " : "Refused ") + r.requester() + "'s request to " + action(r) + ", signed with your key.");
            refresh();
        }, t -> {
            busy.set(false);
            message.set(UserMessages.headline(t));
        });
    }

    private void show(List<ApprovalRequest> list) {
        ApprovalRequest was = selected.get();
        pending.setAll(list);
        ApprovalRequest keep = was == null ? null : list.stream().filter(r -> r.seq() == was.seq()).findFirst().orElse(null);
        selected.set(keep != null ? keep : list.isEmpty() ? null : list.get(0));
        if (list.isEmpty() && message.get().isEmpty()) message.set("No request waits for a second person.");
    }
}

package dev.certops.app.estate;

import dev.certops.app.common.Dialogs;
import dev.certops.app.common.FirstFrame;
import dev.certops.app.common.RollbackWords;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

/** Deploy…, Roll back…, Revoke… and Start runbook… for the selected certificate, each behind a dialog that says exactly what will happen. */
final class EstateActionButtons {
    private final EstateViewModel vm;
    private final Node owner;

    EstateActionButtons(EstateViewModel vm, Node owner) {
        this.vm = vm;
        this.owner = owner;
    }

    List<Button> buttons() {
        Button deploy = button("estate-deploy", "Deploy…", this::deploy, "Deploy the newest stored version along its waves");
        Button rollback = button("estate-rollback", "Roll back…", this::rollback, "Put a host's previous release back live");
        Button revoke = button("estate-revoke", "Revoke…", this::revoke, "Revoke the newest stored version at its CA");
        Button runbook = button("estate-runbook", "Start runbook…", this::runbook, "Open a runbook for this certificate on the Runbooks screen");
        rollback.disableProperty().bind(vm.actionBlocked().isNotEmpty().or(vm.busyProperty())
                .or(Bindings.createBooleanBinding(() -> vm.selectedProperty().get() == null
                        || vm.selectedProperty().get().hosts().isEmpty(), vm.selectedProperty())));
        return List.of(deploy, rollback, revoke, runbook);
    }

    private Button button(String id, String text, Runnable action, String tip) {
        Button b = new Button(text);
        FirstFrame.tooltip(b, () -> new Tooltip(tip));
        b.setId(id);
        b.disableProperty().bind(vm.actionBlocked().isNotEmpty().or(vm.busyProperty()));
        b.setOnAction(e -> action.run());
        return b;
    }

    private String id() { return vm.selectedProperty().get().id(); }

    /** Deploy…: what goes live where, from the plan; when nothing can be deployed, it only says why (no Deploy button). */
    private void deploy() {
        String text = vm.deployConfirmation();
        if (text.startsWith(EstateCommands.NOTHING_TO_DEPLOY)) {
            Alert a = new Alert(Alert.AlertType.INFORMATION, text, ButtonType.CLOSE);
            a.setTitle("Deploy " + id());
            a.setHeaderText("Nothing to deploy for " + id());
            a.getDialogPane().setMinWidth(560);
            show(a);
            return;
        }
        if (confirm("Deploy " + id() + "?", text, "Deploy " + id())) vm.deploySelected();
    }

    /** Roll back…: the host first (a certificate on several hosts), then what happens, with Cancel as the default. */
    private void rollback() {
        String id = id();
        List<String> hosts = vm.selectedProperty().get().hosts();
        String host = hosts.get(0);
        if (hosts.size() > 1) {
            ChoiceDialog<String> d = new ChoiceDialog<>(hosts.get(0), hosts);
            d.setTitle("Roll back " + id);
            d.setHeaderText("Roll back " + id + " on which host?");
            d.setContentText("Nothing changes until you confirm on the next screen.\nHost:");
            Optional<String> chosen = show(d);
            if (chosen.isEmpty()) return;
            host = chosen.get();
        }
        ButtonType rollBack = new ButtonType("Roll back " + host, ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, RollbackWords.confirmation(id, host), ButtonType.CANCEL, rollBack);
        a.setTitle("Roll back " + id);
        a.setHeaderText(RollbackWords.question(id, host));
        a.getDialogPane().setMinWidth(560);
        Dialogs.cancelIsTheDefault(a, rollBack);
        String target = host;
        show(a).filter(b -> b == rollBack).ifPresent(b -> vm.rollBackSelected(target));
    }

    /** Renew now: issues a new certificate and deploys it to production, so it asks first, saying exactly that (certificate, CAs, hosts). */
    void renew() {
        if (confirm("Renew " + id() + " now?", vm.renewConfirmation(), "Renew " + id() + " now")) vm.renewSelected();
    }

    private void revoke() {
        Dialog<String> d = new Dialog<>();
        d.setTitle("Revoke " + id());
        d.setHeaderText("Revoke " + id() + "? This cannot be undone.");
        ComboBox<String> reason = new ComboBox<>(FXCollections.observableArrayList(EstateViewModel.REVOCATION_REASONS));
        reason.setId("revoke-reason");
        reason.setPromptText("choose a reason");
        Label text = new Label("The newest stored version of " + id() + " is revoked at the CA that issued it. Clients that check revocation "
                + "then refuse it wherever it is still served: deploy its replacement first, unless its key is compromised.\n"
                + "Reason key-compromise: the request is signed with the certificate's own key; afterwards, start the key-compromise runbook.");
        text.setWrapText(true);
        text.setMaxWidth(520);
        d.getDialogPane().setContent(new VBox(10, text, new Label("Reason (required):"), reason));
        ButtonType revoke = new ButtonType("Revoke", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, revoke);
        d.getDialogPane().lookupButton(revoke).disableProperty().bind(reason.valueProperty().isNull());
        Dialogs.cancelIsTheDefault(d, revoke);
        d.setResultConverter(b -> b == revoke ? reason.getValue() : null);
        show(d).ifPresent(vm::revokeSelected);
    }

    private void runbook() {
        List<String> names = vm.runbookChoices();
        if (names.isEmpty()) return;
        ChoiceDialog<String> d = new ChoiceDialog<>(names.contains(EstateViewModel.DEFAULT_RUNBOOK) ? EstateViewModel.DEFAULT_RUNBOOK : names.get(0), names);
        d.setTitle("Start a runbook");
        d.setHeaderText("Start a runbook for " + id());
        d.setContentText("Opens the Runbooks screen on the runbook chosen with certificate = " + id() + "; nothing runs until you press Start run.\nRunbook:");
        show(d).ifPresent(vm::startRunbook);
    }

    /** Asks before acting: {@code act} names what happens on a click; Cancel is the default, so Enter does nothing. */
    private boolean confirm(String header, String text, String act) {
        ButtonType go = new ButtonType(act, ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.CANCEL, go);
        a.setTitle(act);
        a.setHeaderText(header);
        a.getDialogPane().setMinWidth(560);
        Dialogs.cancelIsTheDefault(a, go);
        return show(a).filter(b -> b == go).isPresent();
    }

    private <T> Optional<T> show(Dialog<T> d) {
        return Dialogs.showOver(d, owner);
    }
}

package dev.certops.app.estate;

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
        b.setTooltip(new Tooltip(tip));
        b.setId(id);
        b.disableProperty().bind(vm.actionBlocked().isNotEmpty().or(vm.busyProperty()));
        b.setOnAction(e -> action.run());
        return b;
    }

    private String id() { return vm.selectedProperty().get().id(); }

    private void deploy() {
        if (confirm("Deploy " + id() + "?", vm.deployConfirmation())) vm.deploySelected();
    }

    private void rollback() {
        List<String> hosts = vm.selectedProperty().get().hosts();
        ChoiceDialog<String> d = new ChoiceDialog<>(hosts.get(0), hosts);
        d.setHeaderText("Roll back " + id() + " on which host?");
        d.setContentText("The previous release of " + id() + " goes live again on the host chosen; the service is tested and reloaded, "
                + "and the old certificate must be seen served.\nHost:");
        show(d).ifPresent(vm::rollBackSelected);
    }

    /** Renew now: issues a new certificate and deploys it to production, so it asks first, saying exactly that (certificate, CAs, hosts). */
    void renew() {
        if (confirm("Renew " + id() + " now?", vm.renewConfirmation())) vm.renewSelected();
    }

    private void revoke() {
        Dialog<String> d = new Dialog<>();
        d.setTitle("Revoke");
        d.setHeaderText("Revoke " + id() + "? This cannot be undone.");
        ComboBox<String> reason = new ComboBox<>(FXCollections.observableArrayList(EstateViewModel.REVOCATION_REASONS));
        reason.setId("revoke-reason");
        reason.setPromptText("choose a reason");
        Label text = new Label("The newest stored version of " + id() + " is revoked at the CA that issued it; "
                + "clients that check revocation stop trusting it while it is still served.\nkey-compromise signs with the certificate's own key; "
                + "then start the key-compromise runbook.");
        text.setWrapText(true);
        text.setMaxWidth(520);
        d.getDialogPane().setContent(new VBox(10, text, new Label("Reason (required):"), reason));
        ButtonType revoke = new ButtonType("Revoke", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, revoke);
        Button ok = (Button) d.getDialogPane().lookupButton(revoke);
        ok.setDefaultButton(false);
        ok.disableProperty().bind(reason.valueProperty().isNull());
        ((Button) d.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        d.setResultConverter(b -> b == revoke ? reason.getValue() : null);
        show(d).ifPresent(vm::revokeSelected);
    }

    private void runbook() {
        List<String> names = vm.runbookChoices();
        if (names.isEmpty()) return;
        ChoiceDialog<String> d = new ChoiceDialog<>(names.contains(EstateViewModel.DEFAULT_RUNBOOK) ? EstateViewModel.DEFAULT_RUNBOOK : names.get(0), names);
        d.setHeaderText("Start a runbook for " + id());
        d.setContentText("Opens the Runbooks screen on the runbook chosen with certificate = " + id() + "; nothing runs until you press Start run.\nRunbook:");
        show(d).ifPresent(vm::startRunbook);
    }

    private boolean confirm(String header, String text) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.CANCEL, ButtonType.OK);
        a.setHeaderText(header);
        a.getDialogPane().setMinWidth(560);
        ((Button) a.getDialogPane().lookupButton(ButtonType.OK)).setDefaultButton(false);
        ((Button) a.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return show(a).filter(b -> b == ButtonType.OK).isPresent();
    }

    private <T> Optional<T> show(Dialog<T> d) {
        d.initOwner(owner.getScene() == null ? null : owner.getScene().getWindow());
        return d.showAndWait();
    }
}

package dev.certops.app.team;

import dev.certops.team.ApprovalRequest;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The Approvals screen: what waits for a second person, and the selected request's preview, requester and reason. */
public final class ApprovalsView {
    private final VBox root;

    public ApprovalsView(ApprovalsViewModel vm) {
        Label title = new Label("Waiting for a second person");
        title.getStyleClass().add("empty-title");
        ListView<ApprovalRequest> list = new ListView<>(vm.pending());
        list.setId("approvals-list");
        list.setPrefHeight(160);
        list.setCellFactory(v -> new ListCell<>() {
            @Override protected void updateItem(ApprovalRequest r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null : vm.describe(r));
            }
        });
        vm.selectedProperty().addListener((o, was, r) -> {
            if (list.getSelectionModel().getSelectedItem() != r) list.getSelectionModel().select(r);
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, was, r) -> {
            if (r != null) vm.selectedProperty().set(r);
        });
        Label requester = label("approval-requester", vm.requesterProperty());
        Label why = label("approval-why", vm.whyProperty());
        Label previewTitle = new Label("What runs once approved:");
        Label preview = label("approval-preview", vm.previewProperty());
        preview.getStyleClass().add("preview");
        TextField reason = new TextField();
        reason.setId("approval-reason");
        reason.setPromptText("Your reason (recorded with your signature)");
        reason.textProperty().bindBidirectional(vm.reasonProperty());
        HBox.setHgrow(reason, Priority.ALWAYS);
        Button approve = new Button("Approve");
        approve.setId("approval-approve");
        approve.disableProperty().bind(vm.canDecide().not());
        approve.setOnAction(e -> vm.approve());
        Button refuse = new Button("Refuse");
        refuse.setId("approval-refuse");
        refuse.disableProperty().bind(vm.canDecide().not());
        refuse.setOnAction(e -> vm.refuse());
        Label message = label("approvals-message", vm.messageProperty());
        root = new VBox(10, title, list, requester, why, previewTitle, preview, new HBox(8, reason, approve, refuse), message);
        root.setPadding(new Insets(20));
    }

    private static Label label(String id, ObservableStringValue text) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.textProperty().bind(text);
        return l;
    }

    public Node root() { return root; }
}

package dev.certops.app.deploy;

import dev.certops.app.common.ConsoleWords;
import dev.certops.app.common.DetailsPane;
import dev.certops.app.common.Dialogs;
import dev.certops.app.common.RollbackWords;
import dev.certops.app.common.WrappingCell;
import dev.certops.words.Words;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Each host's deployment state per certificate and wave, live; the reason on failure; roll back a host. */
public final class DeploymentsView {
    private final BorderPane root = new BorderPane();

    public DeploymentsView(DeploymentsViewModel vm) {
        root.setId("deployments");
        TableView<DeploymentsViewModel.HostRow> t = new TableView<>(vm.rows());
        t.setId("deployments-table");
        Label empty = new Label(vm.emptyText());
        empty.setWrapText(true);
        empty.setMaxWidth(640);
        t.setPlaceholder(empty);
        t.getColumns().add(col("Certificate", 150, DeploymentsViewModel.HostRow::certificateId));
        t.getColumns().add(col("Wave", 60, r -> r.wave() == 0 ? "—" : String.valueOf(r.wave())));
        t.getColumns().add(col("Host", 120, DeploymentsViewModel.HostRow::hostId));
        TableColumn<DeploymentsViewModel.HostRow, String> state = col("State", 120, r -> r.state().words());
        state.setCellFactory(c -> new TableCell<>() {
            @Override protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                getStyleClass().removeAll("status-ok", "status-critical", "status-warning");
                if (!empty && s != null) getStyleClass().add(s.equals("verified") ? "status-ok" : s.equals("failed") || s.equals("rolled back") ? "status-critical" : "status-warning");
            }
        });
        t.getColumns().add(state);
        TableColumn<DeploymentsViewModel.HostRow, String> since = col("Since", 190, r -> Words.instant(r.at()));
        since.setMinWidth(170); // a date and time to the second, whole
        t.getColumns().add(since);
        TableColumn<DeploymentsViewModel.HostRow, String> reason = col("Reason / detail", 460, r -> ConsoleWords.of(r.reason()));
        reason.setCellFactory(c -> new WrappingCell<>()); // the whole reason, on more lines if need be
        t.getColumns().add(reason);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Button rollback = new Button("Roll back this host…");
        rollback.setId("deployments-rollback");
        rollback.disableProperty().bind(t.getSelectionModel().selectedItemProperty().isNull().or(vm.changesBlockedProperty()));
        rollback.setOnAction(e -> {
            var row = t.getSelectionModel().getSelectedItem();
            ButtonType rollBack = new ButtonType("Roll back " + row.hostId(), ButtonBar.ButtonData.OK_DONE);
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, RollbackWords.confirmation(row.certificateId(), row.hostId()), ButtonType.CANCEL, rollBack);
            a.setTitle("Roll back " + row.certificateId());
            a.setHeaderText(RollbackWords.question(row.certificateId(), row.hostId()));
            a.getDialogPane().setMinWidth(560);
            Dialogs.cancelIsTheDefault(a, rollBack);
            Dialogs.showOver(a, root).filter(b -> b == rollBack).ifPresent(b -> vm.rollBack(row));
        });
        Label message = new Label();
        message.setId("deployments-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        Label hint = new Label("Live: hosts change state as deployments run — from this console, runbook runs, the CLI and other consoles.");
        hint.getStyleClass().add("hint");
        VBox top = new VBox(6, hint, new HBox(12, rollback, message), DetailsPane.of(vm.detailsProperty()));
        top.setPadding(new Insets(10));
        root.setTop(top);
        root.setCenter(t);
    }

    public Parent root() { return root; }

    private static TableColumn<DeploymentsViewModel.HostRow, String> col(String title, double w, Function<DeploymentsViewModel.HostRow, String> f) {
        TableColumn<DeploymentsViewModel.HostRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(w);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }
}

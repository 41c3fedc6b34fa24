package dev.certops.app.history;

import dev.certops.history.HistoryEvent;
import dev.certops.words.Words;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The history screen: the event timeline with a filter, export and the audit-chain status. */
public final class HistoryView {
    private final BorderPane root = new BorderPane();

    /** {@code chooseFile} asks the operator where to export (a dialog in the console, a path in tests). */
    public HistoryView(HistoryViewModel vm, Supplier<Path> chooseFile) {
        root.setId("history");
        TextField filter = new TextField();
        filter.setId("history-filter");
        filter.setPromptText("Filter by kind, subject, actor or detail");
        filter.textProperty().bindBidirectional(vm.filterProperty());
        HBox.setHgrow(filter, Priority.ALWAYS);
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        Button verify = new Button("Verify audit chain");
        verify.setId("history-verify");
        verify.setOnAction(e -> vm.verify());
        Button export = new Button("Export…");
        export.setOnAction(e -> {
            Path p = chooseFile.get();
            if (p != null) vm.export(p);
        });
        Label chain = new Label();
        chain.setId("history-chain");
        chain.textProperty().bind(vm.chainStatusProperty());
        Label message = new Label();
        message.textProperty().bind(vm.messageProperty());
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        Label count = new Label();
        count.setId("history-count");
        count.textProperty().bind(vm.countProperty());
        HBox bar = new HBox(8, filter, refresh, verify, export);
        VBox top = new VBox(6, bar, count, chain, message);
        top.setPadding(new Insets(10));
        root.setTop(top);
        TableView<HistoryEvent> t = new TableView<>(vm.events());
        t.setId("history-table");
        t.setPlaceholder(new Label("No events yet: every scan, issuance, deployment and runbook step is recorded here."));
        t.getColumns().add(col("Time", 195, e -> Words.instant(e.time())));
        t.getColumns().add(col("What happened", 470, EventWords::sentence));
        t.getColumns().add(col("Outcome", 80, HistoryEvent::outcome));
        t.getColumns().add(col("Who", 140, HistoryEvent::actor));
        t.setRowFactory(tv -> new TableRow<>() {
            @Override
            protected void updateItem(HistoryEvent e, boolean empty) {
                super.updateItem(e, empty);
                getStyleClass().remove("history-failed");
                if (!empty && e != null && EventWords.failure(e)) getStyleClass().add("history-failed");
            }
        });
        t.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        SplitPane split = new SplitPane(t, detail(vm));
        split.setDividerPositions(0.66);
        root.setCenter(split);
    }

    public Parent root() { return root; }

    /** The selected event with every field labelled (wrapped, selectable by copy): nothing cut off, no JSON. */
    private static Node detail(HistoryViewModel vm) {
        GridPane grid = new GridPane();
        grid.setId("history-detail");
        grid.setHgap(10);
        grid.setVgap(4);
        grid.setPadding(new Insets(10));
        ColumnConstraints keys = new ColumnConstraints();
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        values.setMinWidth(120);
        grid.getColumnConstraints().setAll(keys, values);
        Label none = new Label("Select an event to see every field.");
        none.getStyleClass().add("hint");
        grid.add(none, 0, 0);
        vm.selectedProperty().addListener((o, a, e) -> {
            grid.getChildren().clear();
            if (e == null) {
                grid.add(none, 0, 0);
                return;
            }
            int row = 0;
            for (var f : EventWords.fields(e)) {
                Label k = new Label(f.getKey());
                k.getStyleClass().add("history-detail-key");
                k.setMinWidth(Region.USE_PREF_SIZE);
                Label v = new Label(f.getValue());
                v.setWrapText(true);
                if (row == 0 && EventWords.failure(e)) v.getStyleClass().add("message-failed");
                grid.add(k, 0, row);
                grid.add(v, 1, row++);
            }
        });
        ScrollPane sp = new ScrollPane(grid);
        sp.setFitToWidth(true);
        return sp;
    }

    private static TableColumn<HistoryEvent, String> col(String title, double w, Function<HistoryEvent, String> f) {
        TableColumn<HistoryEvent, String> c = new TableColumn<>(title);
        c.setPrefWidth(w);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }
}

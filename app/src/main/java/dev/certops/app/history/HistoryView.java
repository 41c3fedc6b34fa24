package dev.certops.app.history;

import dev.certops.words.Words;
import dev.certops.history.HistoryEvent;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
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
        HBox bar = new HBox(8, filter, refresh, verify, export);
        VBox top = new VBox(6, bar, chain, message);
        top.setPadding(new Insets(10));
        root.setTop(top);
        TableView<HistoryEvent> t = new TableView<>(vm.events());
        t.setId("history-table");
        t.setPlaceholder(new Label("No events yet: every scan, issuance, deployment and runbook step is recorded here."));
        t.getColumns().add(col("#", 60, e -> String.valueOf(e.seq())));
        t.getColumns().add(col("Time", 170, e -> Words.instant(e.time())));
        t.getColumns().add(col("Kind", 190, HistoryEvent::kind));
        t.getColumns().add(col("Subject", 140, HistoryEvent::subject));
        t.getColumns().add(col("Outcome", 80, HistoryEvent::outcome));
        t.getColumns().add(col("Actor", 130, HistoryEvent::actor));
        t.getColumns().add(col("Details", 420, HistoryEvent::details));
        root.setCenter(t);
    }

    public Parent root() { return root; }

    private static TableColumn<HistoryEvent, String> col(String title, double w, Function<HistoryEvent, String> f) {
        TableColumn<HistoryEvent, String> c = new TableColumn<>(title);
        c.setPrefWidth(w);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }
}

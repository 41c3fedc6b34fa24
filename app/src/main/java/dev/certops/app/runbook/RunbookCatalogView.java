package dev.certops.app.runbook;

import dev.certops.runbook.RunbookCatalog;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;

/** The runbook catalogue: built-in and team runbooks; unfinished runs are named so they can be resumed. */
public final class RunbookCatalogView {
    private final BorderPane root = new BorderPane();

    public RunbookCatalogView(List<RunbookCatalog.Entry> entries, List<String> unfinished, String problem) {
        root.setId("runbooks");
        String head = problem != null ? problem
                : "Run one from the command line: ./certops runbook run NAME  (--drill for a rehearsal against staging).";
        if (!unfinished.isEmpty()) head += "\nUnfinished runs: " + String.join(", ", unfinished) + " — resume with ./certops runbook resume RUN_ID";
        Label top = new Label(head);
        top.setWrapText(true);
        top.setPadding(new Insets(10));
        root.setTop(top);
        TableView<RunbookCatalog.Entry> t = new TableView<>();
        t.getItems().setAll(entries);
        t.setPlaceholder(new Label("No runbooks found."));
        t.getColumns().add(col("Name", 180, RunbookCatalog.Entry::name));
        t.getColumns().add(col("Title", 460, RunbookCatalog.Entry::title));
        t.getColumns().add(col("Source", 300, e -> e.builtin() ? "built in" : e.source() + (e.overridesBuiltin() ? " (replaces the built-in)" : "")));
        root.setCenter(t);
    }

    public Parent root() { return root; }

    private static TableColumn<RunbookCatalog.Entry, String> col(String title, double w, Function<RunbookCatalog.Entry, String> f) {
        TableColumn<RunbookCatalog.Entry, String> c = new TableColumn<>(title);
        c.setPrefWidth(w);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }
}

package dev.certops.app.budget;

import dev.certops.ratelimit.BucketUsage;
import dev.certops.words.Words;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;

/** The budget screen: a gauge per bucket (used / capacity, red past the safety line) and when it refills. */
public final class BudgetView {
    private final BorderPane root = new BorderPane();

    public BudgetView(BudgetViewModel vm) {
        root.setId("budget");
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        Label msg = new Label();
        msg.textProperty().bind(vm.messageProperty());
        HBox top = new HBox(10, refresh, msg);
        top.setPadding(new Insets(10));
        root.setTop(top);
        TableView<BucketUsage> t = new TableView<>(vm.buckets());
        t.setPlaceholder(new Label("No CA budget used yet: every issuance from any CA is counted here against its rate limits."));
        t.getColumns().add(col("CA", 110, b -> b.ca() + (b.staging() ? " (staging)" : "")));
        t.getColumns().add(col("Limit", 300, b -> b.kind().description()));
        t.getColumns().add(col("Key", 220, BucketUsage::key));
        TableColumn<BucketUsage, BucketUsage> gauge = new TableColumn<>("Used");
        gauge.setPrefWidth(200);
        gauge.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        gauge.setCellFactory(c -> new TableCell<>() {
            private final ProgressBar bar = new ProgressBar();
            @Override
            protected void updateItem(BucketUsage b, boolean empty) {
                super.updateItem(b, empty);
                if (empty || b == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                bar.setProgress(b.usage().fraction());
                bar.setStyle(b.usage().fraction() >= vm.safetyLine() ? "-fx-accent: #c23b22;" : "-fx-accent: #1e7b34;");
                setGraphic(bar);
                setText(b.usage().used() + "/" + b.usage().capacity());
            }
        });
        t.getColumns().add(gauge);
        t.getColumns().add(col("Next token", 170, b -> Words.instant(b.usage().nextTokenAt())));
        t.getColumns().add(col("Full again", 170, b -> Words.instant(b.usage().fullAt())));
        root.setCenter(t);
    }

    public Parent root() { return root; }

    private static TableColumn<BucketUsage, String> col(String title, double w, Function<BucketUsage, String> f) {
        TableColumn<BucketUsage, String> c = new TableColumn<>(title);
        c.setPrefWidth(w);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }
}

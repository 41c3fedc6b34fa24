package dev.certops.app.runbook;

import dev.certops.app.common.WrappingCell;
import dev.certops.app.estate.EstateViewModel;
import dev.certops.runbook.ParamSpec;
import dev.certops.runbook.RunbookCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The runbooks screen: the catalogue (built-in and team), the selected runbook's parameter form and
 * drill toggle, unfinished runs offered for resume; a started or resumed run takes over the screen.
 */
public final class RunbookCatalogView {
    private final RunbooksViewModel vm;
    private final StackPane root = new StackPane();
    private final BorderPane catalogue = new BorderPane();
    private final GridPane form = new GridPane();

    public RunbookCatalogView(RunbooksViewModel vm) {
        this.vm = vm;
        root.setId("runbooks");
        Label top = new Label();
        top.setId("runbooks-message");
        top.setWrapText(true);
        top.setPadding(new Insets(10));
        top.textProperty().bind(vm.messageProperty());
        catalogue.setTop(top);
        SplitPane split = new SplitPane(table(), startPane());
        split.setDividerPositions(0.55);
        catalogue.setCenter(split);
        catalogue.setBottom(resumePane());
        root.getChildren().add(catalogue);
        vm.activeRunProperty().addListener((o, a, r) -> root.getChildren().setAll(r == null ? catalogue : new RunView(r, vm::close).root()));
        vm.fields().addListener((ListChangeListener<RunbooksViewModel.ParamField>) c -> buildForm());
    }

    public Parent root() { return root; }

    private TableView<RunbookCatalog.Entry> table() {
        TableView<RunbookCatalog.Entry> t = new TableView<>(vm.entries());
        t.setId("runbook-table");
        t.setPlaceholder(new Label("No runbooks found."));
        t.getColumns().add(col("Name", 150, RunbookCatalog.Entry::name));
        TableColumn<RunbookCatalog.Entry, String> title = col("Title", 300, RunbookCatalog.Entry::title);
        title.setId("runbook-title");
        title.setCellFactory(c -> new WrappingCell<>());
        t.getColumns().add(title);
        t.getColumns().add(col("Source", 90, e -> e.builtin() ? "built in" : "team" + (e.overridesBuiltin() ? " (replaces built-in)" : "")));
        // the columns share the table's width (no sideways scrolling); a long title wraps onto a second line instead of being cut
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        t.getSelectionModel().selectedItemProperty().addListener((o, a, e) -> {
            var now = vm.selectedProperty().get();
            if (e != null && (now == null || !now.name().equals(e.name()))) vm.select(e.name());
        });
        // a runbook chosen elsewhere (Start runbook… on the estate) shows selected in the table, its form kept
        Runnable follow = () -> {
            var d = vm.selectedProperty().get();
            if (d != null) vm.entries().stream().filter(e -> e.name().equals(d.name())).findFirst().ifPresent(e -> t.getSelectionModel().select(e));
        };
        vm.selectedProperty().addListener((o, a, d) -> follow.run());
        vm.entries().addListener((ListChangeListener<RunbookCatalog.Entry>) c -> follow.run());
        return t;
    }

    private Node startPane() {
        Label title = new Label("Pick a runbook");
        title.getStyleClass().add("section-title");
        title.setWrapText(true);
        vm.selectedProperty().addListener((o, a, d) -> title.setText(d == null ? "Pick a runbook" : d.title()));
        form.setHgap(8);
        form.setVgap(8);
        CheckBox drill = new CheckBox("Drill — rehearse against staging CAs and drill hosts only");
        drill.setId("runbook-drill");
        drill.selectedProperty().bindBidirectional(vm.drillProperty());
        Button start = new Button("Start run");
        start.setId("runbook-start");
        start.setDefaultButton(true);
        // Start stays disabled, with the reason beside it, until every required field is filled
        Label why = new Label();
        why.setId("runbook-start-why");
        why.getStyleClass().add("hint");
        Runnable check = () -> why.setText(vm.missing());
        vm.fields().addListener((ListChangeListener<RunbooksViewModel.ParamField>) c -> {
            check.run();
            vm.fields().forEach(f -> f.value().addListener((o, a, b) -> check.run()));
        });
        start.disableProperty().bind(vm.selectedProperty().isNull().or(vm.changesBlockedProperty()).or(why.textProperty().isNotEmpty()));
        start.setOnAction(e -> vm.start());
        HBox startRow = new HBox(10, start, why);
        startRow.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(12, title, form, drill, startRow);
        box.setPadding(new Insets(12));
        return box;
    }

    private void buildForm() {
        form.getChildren().clear();
        int row = 0;
        for (RunbooksViewModel.ParamField f : vm.fields()) {
            Label l = new Label(f.label());
            l.setMinWidth(Region.USE_PREF_SIZE); // the wide picker beside it never cuts the parameter's name
            Node input;
            if (f.choices().isEmpty()) {
                TextField t = new TextField();
                t.textProperty().bindBidirectional(f.value());
                t.setPromptText(f.spec().type() == ParamSpec.Type.TEXT ? "enter the " + f.spec().name() : f.spec().type().configName());
                input = t;
            } else if (f.spec().type() == ParamSpec.Type.CERTIFICATE) {
                input = certificatePicker(f);
            } else {
                ComboBox<String> c = new ComboBox<>();
                c.getItems().setAll(f.choices());
                c.setEditable(f.spec().type() != ParamSpec.Type.BOOLEAN);
                c.valueProperty().bindBidirectional(f.value());
                input = c;
            }
            input.setId("param-" + f.spec().name());
            Label help = new Label(f.spec().description());
            help.getStyleClass().add("hint");
            help.setWrapText(true);
            form.addRow(row++, l, input);
            form.add(help, 1, row++);
        }
    }

    /** One certificate from certops.yaml, each listed with its status from the last scan (worst first), never typed. */
    private ComboBox<String> certificatePicker(RunbooksViewModel.ParamField f) {
        ComboBox<String> c = new ComboBox<>();
        Runnable order = () -> {
            Map<String, Integer> rank = new HashMap<>();
            for (int i = 0; i < f.choices().size(); i++) rank.put(f.choices().get(i), i);
            List<String> ids = new ArrayList<>(f.choices());
            ids.sort(Comparator.comparing((String id) -> vm.certificatesProperty().get().get(id), Comparator.nullsLast(
                    EstateViewModel.WORST_FIRST)).thenComparing(rank::get));
            String keep = f.value().get();
            c.getItems().setAll(ids);
            f.value().set(keep);
        };
        order.run();
        vm.certificatesProperty().addListener((o, a, b) -> order.run());
        c.setPromptText("choose a certificate");
        c.setCellFactory(l -> new CertificateCell());
        c.setButtonCell(new CertificateCell());
        c.valueProperty().bindBidirectional(f.value());
        c.setMaxWidth(Double.MAX_VALUE);
        return c;
    }

    /** A certificate in the picker: its id, status and reason, coloured by status. */
    private final class CertificateCell extends ListCell<String> {
        @Override
        protected void updateItem(String id, boolean empty) {
            super.updateItem(id, empty);
            getStyleClass().removeIf(x -> x.startsWith("status-"));
            setText(empty || id == null ? null : vm.describeCertificate(id));
            if (!empty && id != null && !vm.certificateStyle(id).isEmpty()) getStyleClass().add(vm.certificateStyle(id));
        }
    }

    private Node resumePane() {
        ListView<String> runs = new ListView<>(vm.unfinished());
        runs.setId("unfinished-runs");
        runs.setPrefHeight(90);
        Button resume = new Button("Resume");
        resume.setId("runbook-resume");
        resume.disableProperty().bind(runs.getSelectionModel().selectedItemProperty().isNull().or(vm.changesBlockedProperty()));
        resume.setOnAction(e -> vm.resume(runs.getSelectionModel().getSelectedItem()));
        Label l = new Label("Unfinished runs");
        l.getStyleClass().add("section-title");
        HBox box = new HBox(12, new VBox(6, l, resume), runs);
        HBox.setHgrow(runs, Priority.ALWAYS);
        box.setPadding(new Insets(8, 12, 8, 12));
        box.visibleProperty().bind(Bindings.isNotEmpty(vm.unfinished()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private static TableColumn<RunbookCatalog.Entry, String> col(String title, double w, Function<RunbookCatalog.Entry, String> f) {
        TableColumn<RunbookCatalog.Entry, String> c = new TableColumn<>(title);
        c.setPrefWidth(w);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }
}

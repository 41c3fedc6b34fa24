package dev.certops.app.estate;

import dev.certops.app.common.DetailsPane;
import dev.certops.app.common.FirstFrame;
import dev.certops.app.common.WrappingCell;
import dev.certops.estate.CertificateView;
import dev.certops.estate.Status;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;

/** The estate screen: filters, the certificate table, the selection's detail and the 12-week expiry timeline. */
public final class EstateView {
    private final EstateViewModel vm;
    private final BorderPane root = new BorderPane();
    private final TextField filter = new TextField();

    public EstateView(EstateViewModel vm) {
        this.vm = vm;
        root.setId("estate");
        root.setTop(filters());
        SplitPane split = new SplitPane(table(), detail());
        split.setDividerPositions(0.7);
        Node timeline = timeline();
        SplitPane vertical = new SplitPane(split, timeline);
        vertical.setOrientation(Orientation.VERTICAL);
        vertical.setDividerPositions(0.75);
        // the unmanaged group takes room only when discovery found something, and is built only then (most
        // workspaces never ran a discovery: its table was built on every start and never shown)
        Node[] built = new Node[1];
        vm.unmanaged().addListener((ListChangeListener<EstateViewModel.UnmanagedRow>) c -> {
            boolean show = !vm.unmanaged().isEmpty();
            if (show && built[0] == null) built[0] = unmanaged();
            Node unmanaged = built[0];
            if (show && !vertical.getItems().contains(unmanaged)) {
                vertical.getItems().add(1, unmanaged);
                vertical.setDividerPositions(0.6, 0.8);
            } else if (!show) {
                vertical.getItems().remove(unmanaged);
            }
        });
        root.setCenter(vertical);
    }

    public Parent root() { return root; }

    /** Certificates discovered on the network that certops.yaml does not manage: their own group, with what to do. */
    private Node unmanaged() {
        TableView<EstateViewModel.UnmanagedRow> t = new TableView<>(vm.unmanaged());
        t.setId("unmanaged");
        t.getColumns().add(column("Names (not managed)", EstateViewModel.UnmanagedRow::names, 260));
        t.getColumns().add(column("Status", EstateViewModel.UnmanagedRow::status, 90));
        t.getColumns().add(column("Days left", r -> String.valueOf(r.daysLeft()), 80));
        t.getColumns().add(column("Issuer", EstateViewModel.UnmanagedRow::issuer, 180));
        t.getColumns().add(column("Served at", EstateViewModel.UnmanagedRow::servedAt, 260));
        t.setPlaceholder(new Label("No unmanaged certificate known: the last network discovery found none, or none has run yet."));
        Label title = new Label();
        title.textProperty().bind(Bindings.size(vm.unmanaged()).asString("Unmanaged certificates found by discovery (%d) — served, but not in certops.yaml"));
        VBox box = new VBox(4, title, t);
        VBox.setVgrow(t, Priority.ALWAYS);
        box.setPadding(new Insets(4, 8, 4, 8));
        return box;
    }

    private static TableColumn<EstateViewModel.UnmanagedRow, String> column(String name, Function<EstateViewModel.UnmanagedRow, String> value, double width) {
        TableColumn<EstateViewModel.UnmanagedRow, String> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** Puts the cursor into the filter box (Ctrl+F). */
    public void focusFilter() { filter.requestFocus(); }

    private Parent filters() {
        filter.setId("estate-filter");
        filter.setPromptText("Filter by name, id or CA  (Ctrl+F)");
        filter.textProperty().bindBidirectional(vm.filterTextProperty());
        HBox.setHgrow(filter, Priority.ALWAYS);
        filter.setMinWidth(120);
        filter.setPrefWidth(260);
        Button clear = new Button("Clear");
        clear.setOnAction(e -> vm.clearFilters());
        Button scan = new Button("Scan now (F5)");
        scan.setId("estate-scan");
        scan.disableProperty().bind(vm.busyProperty());
        scan.setOnAction(e -> vm.scan());
        Label message = new Label();
        message.setId("estate-message");
        message.textProperty().bind(vm.messageProperty());
        message.setWrapText(true);
        vm.messageFailedProperty().addListener((o, a, failed) -> {
            message.getStyleClass().remove("message-failed");
            if (failed) message.getStyleClass().add("message-failed");
        });
        HBox bar = new HBox(8, filter, clear, scan, busy());
        // The pick lists join the bar once the window has drawn the estate: each ComboBox builds a list (a ListView,
        // its cells and scrolling) when it is first styled, the three ~0.08 s of the console's start (issue 22); the
        // certificates come first, the filters a frame later.
        FirstFrame.after(bar, () -> bar.getChildren().addAll(1, List.of(
                new Label("Status"), combo("estate-status", vm.statusChoices(), vm.filterStatusProperty()),
                new Label("CA"), combo("estate-ca", vm.caChoices(), vm.filterCaProperty()),
                new Label("Host"), combo("estate-host", vm.hostChoices(), vm.filterHostProperty()))));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(10, 10, 4, 10));
        TitledPane details = DetailsPane.of(vm.detailsProperty());
        VBox top = new VBox(4, bar, new EstateTriage(vm).build(), message, details);
        VBox.setMargin(message, new Insets(0, 10, 4, 12));
        return top;
    }

    /**
     * The spinner shown while the estate is busy, made once the window has drawn: the console opens on the head
     * start's scan, usually shown with the first frame, and the spinner's skin and animation were built for the few
     * milliseconds until then. Until it is made, an empty place of its size keeps the bar as it will be.
     */
    private Node busy() {
        Region place = new Region();
        sized(place);
        FirstFrame.after(place, () -> {
            if (vm.busyProperty().get()) {
                spinnerFor(place);
                return;
            }
            vm.busyProperty().addListener(new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends Boolean> o, Boolean before, Boolean now) {
                    if (!now) return;
                    vm.busyProperty().removeListener(this);
                    spinnerFor(place);
                }
            });
        });
        return place;
    }

    private void spinnerFor(Region place) {
        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("estate-busy");
        sized(busy);
        busy.visibleProperty().bind(vm.busyProperty());
        if (place.getParent() instanceof Pane bar) bar.getChildren().set(bar.getChildren().indexOf(place), busy);
    }

    /** The spinner's place: 20 px square whatever the bar's width. */
    private static void sized(Region r) {
        r.setPrefSize(20, 20);
        r.setMinSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    }

    private static ComboBox<String> combo(String id, ObservableList<String> items, ObjectProperty<String> value) {
        ComboBox<String> c = new ComboBox<>(items);
        c.setId(id);
        c.valueProperty().bindBidirectional(value);
        c.setMinWidth(90);
        c.setPrefWidth(120);
        return c;
    }

    /** Rows whose status is unreachable or worse (diverged, rejected, expired, revoked): red, with the reason in the row. */
    static final String ALERT_ROW = "estate-row-alert";

    /** The style class of a status: "status-" and its label (certops.css colours each; never green past ok). */
    static String styleOf(Status s) { return "status-" + s.label(); }

    /** The row's colour class: "row-" and the status label (certops.css). */
    static String rowStyleOf(Status s) { return "row-" + s.label(); }

    private TableView<CertificateView> table() {
        TableView<CertificateView> t = new TableView<>(vm.sortedRows());
        t.setId("estate-table");
        // a column the operator sorts by comes first; ties, and no column chosen, stay worst first
        vm.sortedRows().comparatorProperty().bind(Bindings.createObjectBinding(() -> t.getComparator() == null ? EstateViewModel.WORST_FIRST
                : t.getComparator().thenComparing(EstateViewModel.WORST_FIRST), t.comparatorProperty()));
        Label empty = new Label();
        empty.textProperty().bind(vm.emptyTextProperty());
        empty.setWrapText(true);
        t.setPlaceholder(empty);
        t.getColumns().add(column("Certificate", 150, c -> c.id()));
        TableColumn<CertificateView, Status> status = new TableColumn<>("Status");
        status.setPrefWidth(125);
        status.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().status()));
        status.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Status s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().removeIf(x -> x.startsWith("status-"));
                setText(empty || s == null ? null : "● " + s.label());
                if (!empty && s != null) getStyleClass().add(styleOf(s));
            }
        });
        t.getColumns().add(status);
        TableColumn<CertificateView, String> held = heldColumn();
        // beside the status, and only while someone holds a lease: an empty column must not push the reason off-screen
        held.visibleProperty().bind(Bindings.isNotEmpty(vm.holds()));
        t.getColumns().add(held);
        TableColumn<CertificateView, String> attention = column("Attention", 420, EstateViewModel::attention);
        attention.setId("estate-attention");
        attention.setCellFactory(c -> new WrappingCell<>()); // the whole reason, on a second line if need be
        t.getColumns().add(attention);
        TableColumn<CertificateView, Long> days = new TableColumn<>("Days left");
        days.setPrefWidth(75);
        days.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().daysLeft().orElse(null)));
        t.getColumns().add(days);
        t.getColumns().add(column("CA", 100, CertificateView::ca));
        t.getColumns().add(column("Hosts", 110, c -> String.join(", ", c.hosts())));
        t.getColumns().add(column("Served = disk", 95, c -> c.deployments().isEmpty() ? "—" : c.diverged() ? "DIVERGED" : "yes"));
        vm.holds().addListener((MapChangeListener<String, String>) ch -> t.refresh());
        t.setRowFactory(tv -> new TableRow<>() {
            @Override
            protected void updateItem(CertificateView c, boolean empty) {
                super.updateItem(c, empty);
                getStyleClass().removeIf(x -> x.equals(ALERT_ROW) || x.startsWith("row-"));
                if (empty || c == null) return;
                getStyleClass().add(rowStyleOf(c.status()));
                if (c.status().compareTo(Status.UNREACHABLE) >= 0) getStyleClass().add(ALERT_ROW);
            }
        });
        t.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        // a certificate chosen elsewhere (a run's end screen) is selected and scrolled to
        vm.selectedProperty().addListener((o, a, c) -> {
            if (c != null && c != t.getSelectionModel().getSelectedItem()) {
                t.getSelectionModel().select(c);
                t.scrollTo(c);
            }
        });
        return t;
    }

    /** Who holds a lease on the row's certificate: a short badge, the whole sentence as tooltip. */
    private TableColumn<CertificateView, String> heldColumn() {
        TableColumn<CertificateView, String> held = new TableColumn<>("Held by");
        held.setId("estate-held");
        held.setPrefWidth(150);
        held.setCellValueFactory(c -> new ReadOnlyStringWrapper(vm.holds().getOrDefault(c.getValue().id(), "")));
        held.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                getStyleClass().remove("lease-held");
                boolean held = !empty && text != null && !text.isEmpty();
                setText(held ? text.replaceFirst("^held by (.*?) — ([^,]*),.*$", "$1 · $2") : null);
                setTooltip(held ? new Tooltip(text) : null);
                if (held) getStyleClass().add("lease-held");
            }
        });
        return held;
    }

    private static TableColumn<CertificateView, String> column(String title, double width, Function<CertificateView, String> f) {
        TableColumn<CertificateView, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        // ids, CAs and host lists sort as plain text: the default's Collator made a header click on 10,000 rows ten times slower
        c.setComparator(String.CASE_INSENSITIVE_ORDER);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }

    private Parent detail() {
        Button renew = new Button("Renew now");
        renew.setId("estate-renew");
        renew.disableProperty().bind(vm.actionBlocked().isNotEmpty().or(vm.busyProperty()));
        renew.setOnAction(e -> new EstateActionButtons(vm, root).renew());
        // a disabled button gets no mouse events: the tooltip hangs on a wrapper so the reason still shows
        FlowPane actions = new FlowPane(8, 6, renew);
        if (vm.hasActions()) actions.getChildren().addAll(new EstateActionButtons(vm, root).buttons());
        FirstFrame.tooltip(actions, () -> {
            Tooltip why = new Tooltip();
            why.textProperty().bind(Bindings.createStringBinding(() -> vm.actionBlocked().get().isEmpty()
                    ? "Issue a new certificate now and deploy it along its waves (asks first)" : vm.actionBlocked().get(), vm.actionBlocked()));
            why.setShowDelay(Duration.millis(200));
            return why;
        });
        actions.setId("estate-actions");
        actions.setPadding(new Insets(8, 10, 0, 10));
        actions.setVisible(vm.canRenew() || vm.hasActions());
        actions.setManaged(actions.isVisible());
        Label heldNote = new Label();
        heldNote.setId("estate-held-note");
        heldNote.getStyleClass().add("lease-note");
        heldNote.setWrapText(true);
        heldNote.textProperty().bind(Bindings.createStringBinding(() -> {
            String reason = vm.actionBlocked().get();
            return vm.selectedProperty().get() == null || reason.isEmpty() || !vm.holds().containsKey(vm.selectedProperty().get().id()) ? "" : reason;
        }, vm.actionBlocked(), vm.selectedProperty()));
        heldNote.visibleProperty().bind(heldNote.textProperty().isNotEmpty());
        heldNote.managedProperty().bind(heldNote.visibleProperty());
        VBox box = new VBox(6);
        box.setId("estate-detail");
        box.setPadding(new Insets(10));
        Label title = new Label("Select a certificate to see its chain, hosts and endpoints.");
        title.getStyleClass().add("detail-title");
        title.setWrapText(true);
        box.getChildren().add(title);
        vm.selectedProperty().addListener((o, a, c) -> {
            box.getChildren().setAll(title);
            if (c == null) {
                title.setText("Select a certificate to see its chain, hosts and endpoints.");
                return;
            }
            title.setText(c.id() + " — " + c.status().label());
            box.getChildren().add(heldNote);
            for (String line : EstateViewModel.describe(c)) {
                Label l = new Label(line);
                l.setWrapText(true);
                box.getChildren().add(l);
            }
        });
        ScrollPane sp = new ScrollPane(box);
        sp.setFitToWidth(true);
        VBox pane = new VBox(actions, sp);
        VBox.setVgrow(sp, Priority.ALWAYS);
        return pane;
    }

    /**
     * The expiry timeline's place; its chart joins a frame after the estate: a chart (axes, ticks, bars) is ~200
     * classes and a tenth of the first frame's styling, and the table is what an operator opens the console for.
     */
    private Parent timeline() {
        VBox v = new VBox();
        FirstFrame.after(v, () -> {
            Node chart = chart();
            VBox.setVgrow(chart, Priority.ALWAYS);
            v.getChildren().add(chart);
        });
        return v;
    }

    private Node chart() {
        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis();
        y.setLabel("certificates");
        y.setMinorTickVisible(false);
        // counts: whole numbers only on the axis (auto-ranging picks 0.5 steps for small estates)
        y.setTickLabelFormatter(new StringConverter<>() {
            @Override public String toString(Number n) { return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.longValue()) : ""; }
            @Override public Number fromString(String s) { return Long.parseLong(s); }
        });
        BarChart<String, Number> chart = new BarChart<>(x, y);
        chart.setId("estate-timeline");
        chart.setTitle("Expiring in each of the next 12 weeks");
        chart.setLegendVisible(false);
        chart.setAnimated(false);
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        for (int i = 0; i < 12; i++) series.getData().add(new XYChart.Data<>("wk " + (i + 1), vm.timeline().get(i))); // the scan shown already
        chart.getData().add(series);
        vm.timeline().addListener((ListChangeListener<Integer>) ch -> {
            for (int i = 0; i < 12; i++) series.getData().get(i).setYValue(vm.timeline().get(i));
        });
        return chart;
    }
}

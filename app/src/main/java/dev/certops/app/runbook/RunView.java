package dev.certops.app.runbook;

import dev.certops.app.common.ConsoleWords;
import dev.certops.app.common.DetailsPane;
import dev.certops.app.common.Dialogs;
import dev.certops.app.common.RollbackWords;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.StepState;
import dev.certops.words.Words;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The guided run: steps on the left; the current step's guide, preview and controls; the live log below. */
public final class RunView {
    private final RunViewModel vm;
    private final BorderPane root = new BorderPane();
    private final VBox guide = new VBox(6);
    private final VBox preview = new VBox(4);

    public RunView(RunViewModel vm, Runnable back) {
        this.vm = vm;
        root.setId("run");
        root.getStyleClass().add("run");
        root.setTop(header(back));
        ListView<StepState> steps = new ListView<>(vm.steps());
        steps.setId("run-steps");
        steps.setCellFactory(l -> new StepCell());
        steps.setPrefWidth(330);
        ListView<String> log = new ListView<>(vm.log());
        log.setId("run-log");
        log.getStyleClass().add("run-log");
        vm.log().addListener((ListChangeListener<String>) c -> log.scrollTo(vm.log().size() - 1));
        SplitPane vertical = new SplitPane(centre(), log);
        vertical.setOrientation(Orientation.VERTICAL);
        vertical.setDividerPositions(0.72);
        SplitPane split = new SplitPane(steps, vertical);
        split.setDividerPositions(0.3);
        root.setCenter(split);
        vm.guideProperty().addListener((o, a, b) -> guide.getChildren().setAll(GuideRenderer.render(b)));
        guide.getChildren().setAll(GuideRenderer.render(vm.guideProperty().get()));
        vm.previewProperty().addListener((o, a, b) -> showPreview(b));
        showPreview(vm.previewProperty().get());
    }

    public Parent root() { return root; }

    private VBox header(Runnable back) {
        Label banner = new Label("DRILL — a rehearsal: staging CAs and hosts tagged drill only. Production is not touched.");
        banner.setId("drill-banner");
        banner.getStyleClass().add("drill-banner");
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.visibleProperty().bind(vm.drillProperty());
        banner.managedProperty().bind(vm.drillProperty());
        vm.drillProperty().addListener((o, a, b) -> root.pseudoClassStateChanged(PseudoClass.getPseudoClass("drill"), b));
        root.pseudoClassStateChanged(PseudoClass.getPseudoClass("drill"), vm.drillProperty().get());
        Label title = new Label();
        title.getStyleClass().add("run-title");
        title.textProperty().bind(vm.titleProperty());
        Label state = new Label();
        state.setId("run-status");
        state.getStyleClass().add("run-status");
        state.textProperty().bind(Bindings.createStringBinding(() -> (vm.statusProperty().get() == null ? "not started"
                : vm.statusProperty().get().name().toLowerCase().replace('_', ' ')) + (vm.runIdProperty().get().isEmpty() ? "" : " · run " + vm.runIdProperty().get()),
                vm.statusProperty(), vm.runIdProperty()));
        ProgressBar bar = new ProgressBar();
        bar.setId("run-progress");
        bar.progressProperty().bind(vm.progressProperty());
        bar.setPrefWidth(220);
        Button close = new Button("Back to the catalogue");
        close.setId("run-back");
        close.setOnAction(e -> back.run());
        close.disableProperty().bind(vm.canAbort().or(vm.busyProperty()));
        close.setMinWidth(Control.USE_PREF_SIZE);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        title.setWrapText(true);
        HBox line = new HBox(12, state, bar, grow, close);
        line.setAlignment(Pos.CENTER_LEFT);
        VBox head = new VBox(6, title, line);
        head.setPadding(new Insets(10, 12, 10, 12));
        return new VBox(banner, head);
    }

    private BorderPane centre() {
        Label current = new Label();
        current.getStyleClass().add("section-title");
        current.textProperty().bind(Bindings.createStringBinding(() -> vm.currentProperty().get() == null ? "Every step is done — the log below has the whole run"
                : "Current step: " + vm.currentProperty().get().title(), vm.currentProperty()));
        Button approve = button("Approve", "run-approve", vm::approve);
        approve.disableProperty().bind(vm.canApprove().not());
        approve.getStyleClass().add("approve");
        Button retry = button("Retry", "run-retry", vm::retry);
        retry.disableProperty().bind(vm.canRetry().not());
        Button skip = button("Skip…", "run-skip", this::askSkip);
        skip.disableProperty().bind(vm.canSkip().not());
        Button abort = button("Abort…", "run-abort", this::askAbort);
        abort.disableProperty().bind(vm.canAbort().not());
        Button rollback = button("Roll back what this run deployed…", "run-rollback", this::askRollBackDeployed);
        rollback.visibleProperty().bind(Bindings.isNotEmpty(vm.deployedOnAbort()));
        rollback.managedProperty().bind(rollback.visibleProperty());
        HBox buttons = new HBox(8, approve, retry, skip, abort, rollback);
        Label message = new Label();
        message.setId("run-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        TitledPane details = DetailsPane.of(vm.detailsProperty());
        Label previewTitle = new Label("What this step will do");
        previewTitle.getStyleClass().add("section-title");
        preview.setId("run-preview");
        previewTitle.visibleProperty().bind(vm.currentProperty().isNotNull());
        previewTitle.managedProperty().bind(previewTitle.visibleProperty());
        preview.visibleProperty().bind(previewTitle.visibleProperty());
        preview.managedProperty().bind(previewTitle.visibleProperty());
        preview.getStyleClass().add("preview");
        current.visibleProperty().bind(vm.summaryProperty().isNull());
        current.managedProperty().bind(current.visibleProperty());
        VBox box = new VBox(10, summary(), current, guide, previewTitle, preview);
        box.setPadding(new Insets(12));
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        VBox controls = new VBox(8, buttons, message, details);
        controls.getStyleClass().add("run-controls");
        controls.setPadding(new Insets(10, 12, 10, 12));
        BorderPane pane = new BorderPane(scroll);
        pane.setBottom(controls);
        return pane;
    }

    /** The end screen: what the run achieved, in labelled facts, with the way to the certificate's row and to the report. */
    private VBox summary() {
        VBox box = new VBox(8);
        box.setId("run-summary");
        box.getStyleClass().add("run-summary");
        box.visibleProperty().bind(vm.summaryProperty().isNotNull());
        box.managedProperty().bind(box.visibleProperty());
        vm.summaryProperty().addListener((o, a, s) -> {
            box.getChildren().clear();
            box.pseudoClassStateChanged(PseudoClass.getPseudoClass("failed"), s != null && !s.succeeded());
            if (s == null) return;
            Label headline = new Label(s.headline());
            headline.setId("run-summary-headline");
            headline.getStyleClass().add("run-summary-headline");
            headline.setWrapText(true);
            GridPane facts = new GridPane();
            facts.setId("run-summary-facts");
            facts.setHgap(14);
            facts.setVgap(4);
            int row = 0;
            for (var f : s.facts().entrySet()) {
                Label k = new Label(f.getKey());
                k.getStyleClass().add("fact-label");
                k.setMinWidth(Region.USE_PREF_SIZE);
                Label v = new Label(f.getValue());
                v.setId("fact-" + f.getKey().toLowerCase(Locale.ROOT).replace(' ', '-'));
                v.setWrapText(true);
                facts.addRow(row++, k, v);
            }
            Button estate = button(s.certificate().map(c -> "Show " + c + " in the Estate").orElse("Show the Estate"), "run-show-estate", vm::showInEstate);
            estate.setDisable(s.certificate().isEmpty());
            Button report = button("Open the report", "run-open-report", vm::openReport);
            box.getChildren().addAll(headline, facts, new HBox(8, estate, report));
        });
        return box;
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private void showPreview(ActionPreview p) {
        preview.getChildren().clear();
        preview.pseudoClassStateChanged(PseudoClass.getPseudoClass("changes"), p != null && p.changesTheWorld());
        if (p == null) {
            preview.getChildren().add(new Label("Shown when a step waits for your approval."));
            return;
        }
        Label summary = new Label((p.changesTheWorld() ? "Changes the world: " : "Read-only: ") + p.summary());
        summary.getStyleClass().add("preview-summary");
        summary.setWrapText(true);
        preview.getChildren().add(summary);
        for (String d : p.details()) {
            Label l = new Label(d);
            l.getStyleClass().add("preview-line");
            l.setWrapText(true);
            preview.getChildren().add(l);
        }
    }

    /** Skip…: the step does not run; a reason is required (history and report); Enter cancels. */
    private void askSkip() {
        String step = vm.currentProperty().get() == null ? "this step" : "\u201c" + vm.currentProperty().get().title() + "\u201d";
        TextInputDialog d = new TextInputDialog();
        d.setTitle("Skip a step");
        d.setHeaderText("Skip " + step + "?");
        Label what = new Label("This step does not run, so nothing it would have changed is changed; the run continues with the next step. "
                + "The reason goes into the history and the run's report. To do the step after all, start the runbook again.");
        what.setWrapText(true);
        what.setId("skip-what");
        TextField reason = d.getEditor();
        reason.setId("skip-reason");
        reason.setPromptText("why it is skipped (required)");
        d.getDialogPane().setContent(new VBox(10, what, new Label("Reason:"), reason));
        d.getDialogPane().setPrefWidth(560);
        ButtonType skipIt = new ButtonType("Skip the step", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, skipIt);
        d.getDialogPane().lookupButton(skipIt).disableProperty().bind(reason.textProperty().isEmpty());
        Dialogs.cancelIsTheDefault(d, skipIt);
        d.setResultConverter(b -> b == skipIt ? reason.getText() : null);
        Dialogs.showOver(d, root).ifPresent(vm::skip);
    }

    /** Abort…: the run stops for good; Enter cancels. */
    private void askAbort() {
        ButtonType abortIt = new ButtonType("Abort the run", ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "The run stops here and is recorded as aborted; it cannot be resumed. "
                + "If it already deployed to hosts, you are offered to roll them back. To finish the work later, start the runbook again.",
                ButtonType.CANCEL, abortIt);
        a.setTitle("Abort the run");
        a.setHeaderText("Abort the run?");
        a.getDialogPane().setMinWidth(520);
        Dialogs.cancelIsTheDefault(a, abortIt);
        Dialogs.showOver(a, root).filter(b -> b == abortIt).ifPresent(b -> vm.abort());
    }

    /** Roll back what this run deployed…: says which hosts go back and how it is undone; Enter cancels. */
    private void askRollBackDeployed() {
        List<String> targets = List.copyOf(vm.deployedOnAbort());
        if (targets.isEmpty()) return;
        ButtonType rollIt = new ButtonType("Roll back " + Words.count(targets.size(), "host"), ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, RollbackWords.runConfirmation(targets), ButtonType.CANCEL, rollIt);
        a.setTitle("Roll back what this run deployed");
        a.setHeaderText(RollbackWords.runQuestion(targets));
        a.getDialogPane().setMinWidth(520);
        Dialogs.cancelIsTheDefault(a, rollIt);
        Dialogs.showOver(a, root).filter(b -> b == rollIt).ifPresent(b -> vm.rollBackDeployed());
    }

    /** A step: a state mark, the title, and the summary once there is one. */
    private static final class StepCell extends ListCell<StepState> {
        @Override
        protected void updateItem(StepState s, boolean empty) {
            super.updateItem(s, empty);
            getStyleClass().removeIf(c -> c.startsWith("step-"));
            if (empty || s == null) {
                setText(null);
                return;
            }
            String mark = switch (s.status()) {
                case PENDING -> "○";
                case WAITING_APPROVAL -> "‖";
                case RUNNING -> "▶";
                case SUCCEEDED -> "✔";
                case FAILED -> "✖";
                case SKIPPED -> "↷";
            };
            setText(mark + "  " + s.title() + (s.summary().isEmpty() ? "" : "\n     " + ConsoleWords.of(s.summary())));
            setWrapText(true);
            setPrefWidth(0);
            getStyleClass().add("step-" + s.status().name().toLowerCase().replace('_', '-'));
        }
    }

}

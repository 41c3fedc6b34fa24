package dev.certops.app.shell;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.FirstFrame;
import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.app.estate.EstateViewModel;
import dev.certops.app.team.TeamViewModel;
import dev.certops.words.Words;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;

/** The window's frame: navigation on the left, the current screen, a status bar; keyboard shortcuts. */
public final class ShellView {
    private static final String[] SCREENS = {"Estate", "Budget", "Runbooks", "Deployments", "History", "Settings", "Approvals"};
    private final ShellViewModel vm;
    private final BackgroundExecutor executor;
    private final BorderPane root = new BorderPane();
    private final ToggleGroup group = new ToggleGroup();
    private final Map<String, Node> built = new LinkedHashMap<>();
    private final Screens screens;
    private final Label runningLabel = new Label();
    private final Label presenceLabel = new Label();
    private final Label renewWarning = new Label();
    private final VBox top = new VBox();
    private final HBox staleBanner = new HBox();
    private TeamViewModel team;
    private IncidentBanner incidents;

    public ShellView(ShellViewModel vm, BackgroundExecutor executor, Supplier<Path> exportChooser) {
        this.vm = vm;
        this.executor = executor;
        this.screens = new Screens(vm, executor, exportChooser, this::select);
        root.getStyleClass().add("shell");
        root.setTop(top);
        staleBanner.setId("stale-banner");
        staleBanner.getStyleClass().add("stale-banner");
        staleBanner.setPadding(new Insets(8, 12, 8, 12));
        top.getChildren().add(staleBanner);
        staleBanner.setVisible(false);
        staleBanner.setManaged(false);
        root.setLeft(navigation());
        root.setBottom(statusBar());
        vm.workspaceReadyProperty().addListener((o, a, b) -> showContent());
        vm.problemProperty().addListener((o, a, b) -> showContent());
        showContent();
        afterFirstFrame(this::offerResume);
    }

    public Parent root() { return root; }

    public EstateViewModel estate() { return screens.estate(); }

    /** Desktop integration (the console sets these; tests leave them): the system editor, and choosing another workspace. */
    public void setDesktop(Consumer<Path> openInEditor, Runnable openWorkspace) {
        screens.setDesktop(openInEditor, openWorkspace);
    }

    /** The console's window content: 1280×800, the certops stylesheet, the keyboard shortcuts (the app and its tests use the same). */
    public Scene scene() {
        // fits the screen it opens on (a 1366×768 laptop, a 2× scale): never larger than its visible area
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root(), Math.min(1280, screen.getWidth()), screen.getHeight() >= 860 ? 800 : screen.getHeight() - 60);
        scene.getStylesheets().add(ShellView.class.getResource("/dev/certops/app/certops.css").toExternalForm());
        installShortcuts(scene);
        return scene;
    }

    /** Ctrl+1..6 switch screens, F5 scans, Ctrl+F filters the estate. */
    public void installShortcuts(Scene scene) {
        for (int i = 0; i < SCREENS.length; i++) {
            final int n = i;
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.valueOf("DIGIT" + (i + 1)), KeyCombination.SHORTCUT_DOWN),
                    () -> group.getToggles().get(n).setSelected(true));
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> { if (screens.estate() != null) screens.estate().scan(); });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            group.getToggles().get(0).setSelected(true);
            if (screens.estateView() != null) screens.estateView().focusFilter();
        });
    }

    public void select(String screen) {
        for (var t : group.getToggles()) if (((ToggleButton) t).getText().equals(screen)) t.setSelected(true);
    }

    private VBox navigation() {
        VBox nav = new VBox(4);
        nav.getStyleClass().add("nav");
        nav.setPadding(new Insets(12, 8, 12, 8));
        Label brand = new Label("certops");
        brand.getStyleClass().add("brand");
        nav.getChildren().add(brand);
        for (int i = 0; i < SCREENS.length; i++) {
            ToggleButton b = new ToggleButton(SCREENS[i]);
            b.setId("nav-" + SCREENS[i].toLowerCase());
            b.setToggleGroup(group);
            b.setMaxWidth(Double.MAX_VALUE);
            nav.getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) a.setSelected(true);
            else showContent();
        });
        group.getToggles().get(0).setSelected(true);
        return nav;
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(vm.statusProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        presenceLabel.setId("presence");
        runningLabel.setId("running");
        presenceLabel.getStyleClass().add("presence");
        renewWarning.setId("renew-warning");
        renewWarning.getStyleClass().add("renew-warning");
        renewWarning.setMinWidth(0);
        status.setMinWidth(0);
        status.setMaxWidth(220);
        presenceLabel.setMinWidth(Region.USE_PREF_SIZE);
        runningLabel.setMinWidth(Region.USE_PREF_SIZE);
        FirstFrame.tooltip(renewWarning, () -> {
            Tooltip full = new Tooltip();
            full.textProperty().bind(renewWarning.textProperty());
            return full;
        });
        renewWarning.managedProperty().bind(renewWarning.textProperty().isNotEmpty());
        // while something is wrong the bar says that, not a workspace path cut to "Wor…" (Settings shows the workspace)
        status.visibleProperty().bind(renewWarning.textProperty().isEmpty());
        status.managedProperty().bind(status.visibleProperty());
        HBox bar = new HBox(12, status, renewWarning, grow, presenceLabel, runningLabel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        bar.setPadding(new Insets(4, 10, 4, 10));
        if (executor instanceof FxBackgroundExecutor fx) {
            runningLabel.textProperty().bind(Bindings.createStringBinding(
                    () -> fx.runningTitles().isEmpty() ? "idle" : "running: " + String.join(" · ", fx.runningTitles()), fx.runningTitles()));
        }
        return bar;
    }

    /** The incident banner over every screen, once the Estate (its source) exists; the status bar shows its headline. */
    private void followIncidents() {
        if (incidents != null || screens.estate() == null) return;
        ObservableStringValue renew = team == null ? new SimpleStringProperty("") : team.renewWarningProperty();
        incidents = new IncidentBanner(screens.estate(), renew, this::handle);
        top.getChildren().add(0, incidents.root());
        top.setMinWidth(0);
        renewWarning.textProperty().unbind();
        renewWarning.textProperty().bind(incidents.headline());
    }

    /** The banner's button: does the thing in the console. */
    private void handle(Incidents.Incident i) {
        var estate = screens.estate();
        switch (i.action()) {
            case OPEN_CA_OUTAGE_RUNBOOK -> estate.openRunbook("primary-ca-outage", i.certificate().orElse(""));
            case SHOW_RENEWALS -> screens.showHistory("renew");
            case SHOW_ESTATE -> {
                select("Estate");
                i.certificate().flatMap(id -> estate.allRows().stream().filter(c -> c.id().equals(id)).findFirst())
                        .ifPresentOrElse(c -> estate.filterStatusProperty().set(c.status().label()), estate::clearFilters);
            }
        }
    }

    /** The banner's incidents (tests). */
    List<Incidents.Incident> incidents() { return incidents == null ? List.of() : incidents.current(); }

    /** The team's live state (leases, presence, stale history, renewal switch) for this window, started once. */
    private void followTeam() {
        if (team != null) return;
        var session = vm.session();
        team = session.closeLater(new TeamViewModel(session, Platform::runLater));
        screens.setTeam(team);
        presenceLabel.textProperty().bind(team.presenceTextProperty());
        TeamViewModel t = team;
        FirstFrame.tooltip(presenceLabel, () -> {
            Tooltip who = new Tooltip();
            Runnable describe = () -> who.setText(t.others().isEmpty() ? "No other console is connected to this history." : String.join("\n", t.othersDescribed()));
            t.others().addListener((ListChangeListener<Object>) c -> describe.run());
            describe.run();
            return who;
        });
        if (incidents == null) renewWarning.textProperty().bind(team.renewWarningProperty());
        Label staleText = new Label();
        staleText.setId("stale-text");
        staleText.setWrapText(true);
        staleText.textProperty().bind(team.staleTextProperty());
        staleBanner.getChildren().setAll(staleText);
        staleBanner.visibleProperty().bind(team.staleProperty());
        staleBanner.managedProperty().bind(team.staleProperty());
        afterFirstFrame(team::start); // presence, the event feed and the renewal switch wait for the window: start-up first
    }

    /** Runs {@code r} once the root has been laid out and shown (at once when it already has). */
    private void afterFirstFrame(Runnable r) { FirstFrame.after(root, r); }

    /** The team's live state once the workspace is open (null before). */
    public TeamViewModel team() { return team; }

    private String current() {
        var t = (ToggleButton) group.getSelectedToggle();
        return t == null ? "Estate" : t.getText();
    }

    private void showContent() {
        if (!vm.workspaceReadyProperty().get()) {
            root.setCenter(emptyState());
        } else if (!vm.problemProperty().get().isEmpty()) {
            root.setCenter(configProblem());
        } else {
            followTeam();
            boolean fresh = !built.containsKey(current());
            Node screen = built.computeIfAbsent(current(), screens::build);
            // a screen never widens the window past the screen it is on: its content wraps or scrolls instead
            if (screen instanceof Region r) r.setMinWidth(0);
            root.setCenter(screen);
            if (!fresh) screens.shown(current()); // a screen shown again reads what changed meanwhile (budget, history)
            followIncidents();
        }
    }

    /** On start-up: runs that never finished are offered for resume, above every screen. */
    private void offerResume() {
        if (!vm.workspaceReadyProperty().get() || !vm.problemProperty().get().isEmpty()) return;
        executor.run("Looking for unfinished runs", () -> vm.session().runbooks().engine().unfinishedRuns(), runs -> {
            if (runs.isEmpty()) return;
            Label text = new Label(Words.count(runs.size(), "runbook run") + " did not finish (" + Words.list(runs) + "). Resume to continue exactly where it stopped.");
            text.setWrapText(true);
            Button open = new Button("Open runbooks");
            open.setId("resume-offer-open");
            HBox bar = new HBox(12, text, open);
            bar.setId("resume-offer");
            bar.getStyleClass().add("resume-offer");
            bar.setPadding(new Insets(8, 12, 8, 12));
            bar.setAlignment(Pos.CENTER_LEFT);
            open.setOnAction(e -> {
                top.getChildren().remove(bar);
                select("Runbooks");
            });
            top.getChildren().add(bar);
        }, t -> { /* the Runbooks screen says what is wrong when it opens */ });
    }

    private Node configProblem() {
        Label l = new Label(vm.problemProperty().get() + "\n\nFix certops.yaml, then reload.");
        l.setWrapText(true);
        l.setId("config-problem");
        Button reload = new Button("Reload");
        reload.setOnAction(e -> {
            built.clear();
            screens.reset();
            vm.refresh();
        });
        VBox box = new VBox(12, l, reload);
        box.setPadding(new Insets(24));
        return box;
    }

    private VBox emptyState() {
        Label title = new Label("No workspace yet");
        title.getStyleClass().add("empty-title");
        Label text = new Label("A workspace is a folder with certops.yaml (your CAs, hosts and certificates), the history and the secrets.\n"
                + "Create one at " + vm.workspace().root() + " and edit certops.yaml, or start with --workspace DIR.");
        text.setWrapText(true);
        Button create = new Button("Create workspace");
        create.setId("create-workspace");
        create.setDefaultButton(true);
        create.setOnAction(e -> vm.createWorkspace());
        VBox box = new VBox(14, title, text, create);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(40));
        box.setMaxWidth(720);
        return box;
    }
}
